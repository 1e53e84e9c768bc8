"""Work tickets run on the power centre's station of tests/ops (its equipment, team 一队 and the
fixed clock); ``work`` carries a work ticket through the API (worktools)."""

from ..ops.conftest import (  # noqa: F401 (fixtures)
    _on_the_fixed_clock,
    clock,
    fixed_clock,
    flow,
    grid,
    november,
    shifts,
    work,
)
