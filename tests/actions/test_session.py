"""Session start (actions/session.py): the verifications of the last session end."""

from __future__ import annotations

from rasa_sdk.events import SessionStarted

from actions.session import ActionSessionStart
from bot.db import session_scope
from bot.verification_lifetime import is_verified
from tests.actions.trackers import MARIE, run, tracker, verify


def _verified(conversation: str) -> bool:
    with session_scope() as session:
        return is_verified(session, msisdn=MARIE, conversation_id=conversation)


async def test_a_new_session_needs_a_new_code(open_hours):
    verify("conv-1")
    verify("conv-2")
    assert _verified("conv-1")
    _, events = await run(ActionSessionStart(), tracker("conv-1"))
    assert events[0] == SessionStarted()
    assert not _verified("conv-1")
    assert _verified("conv-2")  # another conversation keeps its own


async def test_a_first_session_starts_without_any_verification(open_hours):
    _, events = await run(ActionSessionStart(), tracker("conv-new"))
    assert [event["event"] for event in events] == ["session_started", "slot", "action"]
    assert not _verified("conv-new")
