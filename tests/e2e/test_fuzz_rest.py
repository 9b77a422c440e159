"""A short REST fuzz (scripts/fuzz/, what `make fuzz` sends 10,000 of): hostile
messages get an answer, never a server error, and every conversation still loads.

The servers are this module's own (their own folder, database and ports), never
the session's: the demo numbers in the messages use up those lines' SMS codes
(3 an hour), which later tests on the shared servers would then be refused.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scripts.fuzz.client import request
from scripts.fuzz.embedded import NotStarted, embedded_servers, exited
from scripts.fuzz.runner import run_fuzz, texts
from scripts.servers import Servers

COUNT = 250
SEED = 10  # `make fuzz`'s: its first messages


@pytest.fixture(scope="module")
def fuzz_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The action server and Rasa over a fresh seeded database, for this module."""
    try:
        with embedded_servers(tmp_path_factory.mktemp("fuzz")) as servers:
            yield servers
    except NotStarted as exc:
        pytest.fail(str(exc))


def test_hostile_messages_are_answered_and_the_server_stays_up(
    fuzz_servers: Servers,
) -> None:
    report = run_fuzz(
        fuzz_servers.rasa_url,
        fuzz_servers.api_headers,
        count=COUNT,
        seed=SEED,
        workers=6,
        timeout=120,
    )
    figures = "\n".join(report.lines())
    print(figures)  # shown with -s or -rP: the kinds sent, the answer times
    # Hostile kinds were sent, not only ordinary sentences.
    assert report.sent == COUNT, figures
    assert len(report.kinds) >= 10, figures
    assert report.long_messages > 0, figures
    # Every answer a 200: no 5xx, none left unanswered.
    assert dict(report.statuses) == {200: COUNT}, figures
    # Every conversation's tracker loads, with one user event per message sent.
    assert report.conversations > 1, figures
    assert report.trackers_checked == report.conversations, figures
    assert report.trackers_loaded == report.conversations, figures
    assert report.failures == [], figures
    assert exited(fuzz_servers) == []
    # Afterwards, asked here too: /status answers and so does a new "bonjour".
    status = request(
        f"{fuzz_servers.rasa_url}/status", headers=fuzz_servers.api_headers()
    )
    assert status.status == 200, status
    greeting = request(
        f"{fuzz_servers.rasa_url}/webhooks/rest/webhook",
        payload={"sender": "after-the-fuzz", "message": "bonjour"},
    )
    assert greeting.status == 200, greeting
    assert "Bonjour" in texts(greeting.body), greeting.body
