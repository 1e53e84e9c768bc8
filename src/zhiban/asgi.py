"""ASGI entry: Django for HTTP, with the gateways' grouped ``POST /api/events`` and
``POST /api/service/calls`` in front of it (``alarms/http_gateway.py``,
``service/cti_gateway.py``); Channels for the live websocket (/ws/live/)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiban.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from zhiban.alarms.http_gateway import EventsGateway  # noqa: E402
from zhiban.core.consumers import LiveConsumer  # noqa: E402
from zhiban.service.cti_gateway import CallsGateway  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": EventsGateway(CallsGateway(django_application)),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([path("ws/live/", LiveConsumer.as_asgi())]))
        ),
    }
)
