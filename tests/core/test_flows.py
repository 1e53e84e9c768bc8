"""Transition tables: one per workflow model, refusing what they do not allow, and drawn as
state diagrams into the docs by `zhiban flows`."""

import pytest
from django.core.management import call_command

from zhiban.core.errors import Refused
from zhiban.core.flow import REGISTRY
from zhiban.core.models import Deadline


def test_flow_refuses_a_transition_it_does_not_list():
    flow = Deadline.FLOW
    assert flow.next_state("open", "meet") == "met"
    assert flow.next_state("breached", "meet") == "met_late"
    with pytest.raises(Refused) as refusal:
        flow.next_state("met", "breach")
    assert refusal.value.code == "transition_refused"
    assert flow.actions_from("open") == ["meet", "breach", "cancel"]


def test_flows_command_draws_every_workflow(tmp_path):
    call_command("flows", "--out", str(tmp_path))
    for name, flow in REGISTRY.items():
        text = (tmp_path / f"{name}.md").read_text()
        assert "stateDiagram-v2" in text
        for t in flow.transitions:
            for source in t.sources:
                assert f"{source} --> {t.target}: {t.action}" in text


def test_committed_diagrams_match_the_code(tmp_path):
    """docs/flows/ is regenerated whenever a transition table changes."""
    from pathlib import Path

    call_command("flows", "--out", str(tmp_path))
    docs = Path(__file__).resolve().parents[2] / "docs" / "flows"
    for name in REGISTRY:
        assert (docs / f"{name}.md").read_text() == (tmp_path / f"{name}.md").read_text()
