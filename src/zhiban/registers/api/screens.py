"""Big-screen and remote-operation use over HTTP (REG-9): list with filters, .xlsx export,
detail, create; the leader's approve / refuse."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from zhiban.core.api import add_crud

from ..resources.screens import SCREEN_USE_LIST
from ..services.screens import screen_use_decide
from .common import RegisterEntryOut, add_decisions

router = Router()
TAG = "registers: big screen and remote operation"
PATH = "registers/screen-use"


class ScreenUseIn(Schema):
    kind: Annotated[str, Field(max_length=20)]
    used_by: Annotated[str, Field(max_length=60)]
    purpose: Annotated[str, Field(max_length=500)]
    starts_at: datetime
    ends_at: datetime


class ScreenUseOut(RegisterEntryOut):
    id: int
    kind: str
    used_by: str
    purpose: str
    starts_at: datetime
    ends_at: datetime


add_crud(router, SCREEN_USE_LIST, path=PATH, out=ScreenUseOut, create_in=ScreenUseIn, tag=TAG)
add_decisions(
    router, SCREEN_USE_LIST, path=PATH, out=ScreenUseOut, decide=screen_use_decide, tag=TAG
)
