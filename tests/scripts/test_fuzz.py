"""The pure pieces of the REST fuzz (scripts/fuzz/): the messages, the figures, the
servers' environment, and the command line `make fuzz` calls."""

from __future__ import annotations

from pathlib import Path

from scripts.fuzz.embedded import DEFAULT_TODAY, embedded_env
from scripts.fuzz.messages import LONG_MAX, TOO_LONG, MessageMaker
from scripts.fuzz.report import KEEP_FAILURES, FuzzReport
from scripts.fuzz.runner import DEFAULT_COUNT, texts
from scripts.fuzz_rest import parse_args


def test_the_same_seed_draws_the_same_messages():
    assert MessageMaker(7).many(300) == MessageMaker(7).many(300)
    assert MessageMaker(7).many(300) != MessageMaker(8).many(300)


def test_every_kind_is_drawn_and_long_messages_stay_under_the_limit():
    maker = MessageMaker(10)
    messages = maker.many(2000)
    assert {kind for kind, _ in messages} == {kind for kind, _, _ in maker.kinds}
    long_ones = [text for kind, text in messages if kind == "too_long"]
    assert long_ones
    assert all(TOO_LONG < len(text) <= LONG_MAX for text in long_ones)
    assert all(len(text.strip()) > TOO_LONG for text in long_ones)


def test_a_report_counts_every_failure_and_keeps_the_first_ones():
    report = FuzzReport()
    assert report.ok
    for number in range(KEEP_FAILURES + 5):
        report.fail(f"failure {number}")
    assert not report.ok
    assert report.failure_count == KEEP_FAILURES + 5
    assert report.failures[0] == "failure 0" and len(report.failures) == KEEP_FAILURES
    assert f"failures:             {KEEP_FAILURES + 5}" in report.lines()


def test_replies_are_read_whatever_the_body():
    assert texts([{"text": "Bonjour"}, {"image": "x"}, "x", {"text": "!"}]) == (
        "Bonjour  !"
    )
    assert texts({"text": "Bonjour"}) == ""


def test_the_servers_environment_is_the_fuzz_s_own(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("LOCK_STORE_URL", "redis://elsewhere")
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://elsewhere")
    env = embedded_env(tmp_path, "2026-12-01", sql_trackers=True)
    assert env["DATABASE_URL"] == f"sqlite:///{tmp_path / 'bot.db'}"
    assert env["TRACKER_STORE_URL"] == f"sqlite:///{tmp_path / 'trackers.db'}"
    assert env["BOT_TODAY"] == "2026-12-01"
    assert "LOCK_STORE_URL" not in env
    assert "TRACKER_STORE_URL" not in embedded_env(tmp_path, "2026-12-01", False)


def test_the_command_line_of_make_fuzz():
    args = parse_args(["--count", "10000"])
    assert (args.count, args.seed, args.today, args.url) == (
        10_000,
        10,
        DEFAULT_TODAY,
        None,
    )
    assert parse_args([]).count == DEFAULT_COUNT
