"""The REST fuzz of scripts/fuzz_rest.py, smaller: hostile messages (control
characters, right-to-left marks, emoji runs, HTML/JS, SQL, `/intent{json}`
payloads, texts over 2,000 characters, random Unicode and bytes, lone surrogates)
to many conversations over the REST channel of the real servers. No 5xx, no
message left unanswered, the server still up, every conversation's tracker loads
through the HTTP API with one user event per message. `make fuzz` sends 10,000.
"""

from __future__ import annotations

from scripts.fuzz_rest import run_fuzz
from tests.e2e.servers import Servers

COUNT = 250
SEED = 20261126  # the same messages at every run
CONVERSATIONS = 25
# Texts and entity values up to 2,100 characters: over the 2,000 the assistant
# reads, and cheap enough for the test to take about a minute (the sentence
# encoder's time grows with the length: seconds for a text of 2,000 characters).
LONG_MAX = 2100


def test_hostile_messages_get_no_server_error_and_every_tracker_loads(
    servers: Servers,
) -> None:
    report = run_fuzz(
        servers.rasa_url,
        servers.api_headers,
        count=COUNT,
        conversations=CONVERSATIONS,
        seed=SEED,
        workers=8,
        timeout=120,
        long_max=LONG_MAX,
    )
    print("\n".join(report.lines()))
    assert report.sent == COUNT
    assert report.server_errors == 0, report.failures
    assert report.unanswered == 0, report.failures
    assert report.status_ok and report.greeting_ok, report.failures
    assert report.trackers_checked == report.conversations == CONVERSATIONS
    assert report.trackers_loaded == report.trackers_checked, report.failures
    assert report.long_messages > 0  # the run did send texts over 2,000 characters
    assert report.ok, report.failures
