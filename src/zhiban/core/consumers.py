"""The live channel of every open console (/ws/live/): the bell now, boards later."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import live, metrics
from .scoping import centres_for


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.groups_joined = [live.person_group(user.pk)]
        centre_ids = await database_sync_to_async(self._centre_ids)(user)
        self.groups_joined += [live.centre_group(cid) for cid in centre_ids]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        metrics.WEBSOCKETS.inc()
        self.counted = True
        unread = await database_sync_to_async(self._unread)(user)
        await self.send_json({"kind": "unread", "unread": unread})

    @staticmethod
    def _centre_ids(user) -> list[int]:
        return list(centres_for(user).values_list("pk", flat=True))

    @staticmethod
    def _unread(user) -> int:
        from .selectors import unread_count

        return unread_count(user=user)

    async def disconnect(self, code):
        if getattr(self, "counted", False):
            metrics.WEBSOCKETS.dec()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def live_event(self, message):
        await self.send_json(message["event"])
