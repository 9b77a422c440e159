"""Rasa's custom-action calls, made to fail loudly for the customer.

Rasa 3.6 logs a failed action call and goes on as if nothing happened: the
customer gets no answer, or the next generic one. Installed by
`python -m channels.rasa_server`, this guard turns a call that fails (server down,
5xx, too slow) into one French message per turn saying the service is disturbed,
then ends the turn (the next action predicted would answer as if the failed one had
run, e.g. "Je n'ai pas bien compris"), and shortens the call's timeout from Rasa's
5 minutes to ACTION_TIMEOUT_SECONDS, below the conversation lock's lifetime.
"""

from __future__ import annotations

import logging
from typing import Any

import rasa.core.actions.action as rasa_actions
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import BotUttered, Event, FollowupAction, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.service_notice import SERVICE_DISTURBED, action_timeout

logger = logging.getLogger(__name__)
NOTICE = "service_disturbed"  # the notice's metadata, to say it once per turn
_original_run = RemoteAction.run


async def _run_or_tell(
    self: RemoteAction,
    output_channel: Any,
    nlg: Any,
    tracker: DialogueStateTracker,
    domain: Any,
) -> list[Event]:
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise  # a form's validation refusing a value: Rasa's normal flow
    except Exception:
        if self.name() == ACTION_SESSION_START_NAME:
            # Before the customer's message is even read: Rasa's own session start
            # lets the turn go on, and the first action that needs the server tells
            # the customer (telling here, the turn would go on to a generic answer).
            logger.exception("custom session start failed: Rasa's default is used")
            return await rasa_actions.ActionSessionStart().run(
                output_channel, nlg, tracker, domain
            )
        logger.exception("custom action %s failed: the customer is told", self.name())
        end_turn = FollowupAction(ACTION_LISTEN_NAME)
        if told_this_turn(tracker):
            return [end_turn]
        return [BotUttered(SERVICE_DISTURBED, metadata={"notice": NOTICE}), end_turn]


def told_this_turn(tracker: DialogueStateTracker) -> bool:
    """Whether the customer has heard the notice since their last message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.metadata.get("notice") == NOTICE:
            return True
    return False


def install() -> float:
    """Guard every custom action of this process; return the timeout in seconds."""
    timeout = action_timeout()
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = timeout  # read by RemoteAction.run
    RemoteAction.run = _run_or_tell  # type: ignore[method-assign]
    return timeout
