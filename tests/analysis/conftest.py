"""Shared helpers: small hand-written SOPs whose figures are computed by hand in each test."""

from __future__ import annotations

import pytest

from alur import i18n
from alur.sop import Actor, Sop, Step


@pytest.fixture(autouse=True)
def _indonesian(monkeypatch):
    """Figures and messages as officials see them: Bahasa Indonesia, whatever the shell says."""
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)


def make_sop(sop_id: str, steps: list[Step], actors: list[Actor] | None = None,
             **fields) -> Sop:
    actors = actors if actors is not None else [Actor(id="staf", name="Staf")]
    return Sop(id=sop_id, name=fields.pop("name", sop_id.replace("-", " ").title()),
               actors=actors, steps=steps, **fields)


def step(number: int, time: str | None, actors=("staf",), **fields) -> Step:
    return Step(number=number, activity=f"Langkah {number}", actors=list(actors), time=time,
                **fields)
