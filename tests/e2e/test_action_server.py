"""The action server runs actions only for Rasa (shared token) and exposes its
Prometheus metrics (real servers)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from scripts.servers import Servers
from tests.e2e.conftest import Conversation

ACTION_CALL = {
    "next_action": "action_answer_documents",
    "sender_id": "outsider",
    "tracker": {
        "sender_id": "outsider",
        "slots": {},
        "latest_message": {"text": "quels documents ?", "intent": {}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    },
    "domain": {},
    "version": "3.6.2",
}


def _post(url: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=json.dumps(ACTION_CALL).encode(),
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize(
    "headers", [{}, {"X-Action-Token": "guessed"}, {"Authorization": "Bearer x"}]
)
def test_an_action_call_without_the_token_is_refused(
    servers: Servers, headers: dict[str, str]
) -> None:
    status, body = _post(f"{servers.actions_url}/webhook", headers)
    assert status == 403
    assert "responses" not in body


def test_an_action_call_with_the_token_runs(servers: Servers) -> None:
    token = {"X-Action-Token": servers.env["ACTION_SERVER_TOKEN"]}
    status, body = _post(f"{servers.actions_url}/webhook", token)
    assert status == 200
    assert json.loads(body)["responses"]


def _metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the Prometheus text `text`."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = (
        rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$" if labels else rf"^{name} (\S+)$"
    )
    found = re.search(pattern, text, re.MULTILINE)
    assert found, f"{name}{labels} not in the metrics"
    return float(found.group(1))


def test_metrics_count_the_actions_rasa_ran_and_read_the_queue(
    servers: Servers, conversation: Conversation
) -> None:
    conversation.say("quels justificatifs dois-je envoyer ?")
    with urllib.request.urlopen(f"{servers.actions_url}/metrics", timeout=30) as reply:
        text = reply.read().decode()
    ran = _metric(
        text, "assistant_actions_total", action="action_answer_documents", outcome="ok"
    )
    assert ran >= 1
    assert _metric(text, "assistant_database_up") == 1
    assert _metric(text, "assistant_outbox_depth") >= 0
    assert _metric(text, "assistant_handoff_queue_length") >= 0
    assert "assistant_action_seconds_bucket" in text


def test_the_list_of_actions_needs_the_token_too(servers: Servers) -> None:
    url = f"{servers.actions_url}/actions"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=30)
    assert refused.value.code == 403
    token = {"X-Action-Token": servers.env["ACTION_SERVER_TOKEN"]}
    request = urllib.request.Request(url, headers=token)
    with urllib.request.urlopen(request, timeout=30) as listed:
        names = [action["name"] for action in json.loads(listed.read())]
    assert "action_answer_documents" in names
