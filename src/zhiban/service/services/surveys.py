"""Survey answers (CS-8). PLACEHOLDER: the interface the call list calls; the surveys work
fills it in."""

from __future__ import annotations


def survey_answers_save(*, actor, source, member, answers: list[dict]) -> None:
    """The answers given on a return-visit call (runs in the call's transaction)."""
    raise NotImplementedError
