"""A failed custom-action call is told to the customer, once per turn."""

from __future__ import annotations

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, FollowupAction, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.config import ConfigError
from bot.service_notice import SERVICE_DISTURBED, action_timeout
from channels import action_guard


@pytest.fixture
def guarded(monkeypatch):
    """RemoteAction guarded, restored afterwards."""
    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)
    monkeypatch.setattr(
        "rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT",
        action_guard.rasa_actions.DEFAULT_REQUEST_TIMEOUT,
    )
    monkeypatch.delenv("ACTION_TIMEOUT_SECONDS", raising=False)
    monkeypatch.delenv("TICKET_LOCK_LIFETIME", raising=False)
    return action_guard.install()


def _action() -> RemoteAction:
    # Port 9 (discard) on loopback: nothing listens, the call fails at once.
    return RemoteAction("action_submit_porting", EndpointConfig("http://127.0.0.1:9"))


async def test_an_unreachable_action_server_is_told_once_per_turn(guarded):
    assert guarded == 20.0
    tracker = DialogueStateTracker.from_events("c1", [UserUttered("oui")])
    events = await _action().run(None, None, tracker, Domain.empty())
    # The notice, then the turn ends: nothing answers as if the action had run.
    assert events == [
        BotUttered(SERVICE_DISTURBED, metadata={"notice": "service_disturbed"}),
        FollowupAction("action_listen"),
    ]
    tracker.update(events[0])
    again = await _action().run(None, None, tracker, Domain.empty())
    assert again == [FollowupAction("action_listen")]
    tracker.update(UserUttered("alors ?"))
    told = await _action().run(None, None, tracker, Domain.empty())
    assert [type(event) for event in told] == [BotUttered, FollowupAction]


async def test_a_failed_session_start_is_rasa_s_own_and_tells_nothing_yet(guarded):
    """The customer's message is not read yet: the turn goes on, and the first
    action that needs the server tells them."""
    action = RemoteAction("action_session_start", EndpointConfig("http://127.0.0.1:9"))
    tracker = DialogueStateTracker.from_events("c3", [])
    events = await action.run(None, None, tracker, Domain.empty())
    assert [type(event).__name__ for event in events] == [
        "SessionStarted",
        "ActionExecuted",
    ]
    assert events[-1].action_name == "action_listen"


async def test_a_validation_rejection_stays_rasa_s(guarded, monkeypatch):
    async def rejecting(*_):
        raise ActionExecutionRejection("validate_porting_form")

    monkeypatch.setattr(action_guard, "_original_run", rejecting)
    tracker = DialogueStateTracker.from_events("c2", [UserUttered("oui")])
    with pytest.raises(ActionExecutionRejection):
        await _action().run(None, None, tracker, Domain.empty())


def test_the_action_timeout_is_shorter_than_the_lock():
    assert action_timeout({}) == 20.0
    assert action_timeout({"ACTION_TIMEOUT_SECONDS": "5"}) == 5.0
    longer_lock = {"ACTION_TIMEOUT_SECONDS": "90", "TICKET_LOCK_LIFETIME": "120"}
    assert action_timeout(longer_lock) == 90
    with pytest.raises(ConfigError, match="shorter than"):
        action_timeout({"ACTION_TIMEOUT_SECONDS": "60"})
    with pytest.raises(ConfigError, match="number of seconds"):
        action_timeout({"ACTION_TIMEOUT_SECONDS": "soon"})
    with pytest.raises(ConfigError, match="positive"):
        action_timeout({"ACTION_TIMEOUT_SECONDS": "0"})


def test_action_answers_are_checked_against_rasa_s_schema(monkeypatch):
    from jsonschema import ValidationError

    from channels import action_response

    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    action_response.install()
    action = _action()
    assert action._validate_action_result({"events": [], "responses": []})
    with pytest.raises(ValidationError, match="Failed to validate Action server"):
        action._validate_action_result({"events": "not a list"})
