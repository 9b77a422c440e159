"""`python -m bot dispatch`: the worker from the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from bot.cli import build_parser, main
from bot.config import PROJECT_ROOT, get_settings
from bot.db import session_scope
from bot.models import MessageStatus
from bot.outbox import enqueue, list_messages
from tests.bot.messaging.fakes import TWILIO_SID, TWILIO_TOKEN


def queue_sms(text: str) -> None:
    with session_scope() as session:
        enqueue(session, channel="sms", to="0612345678", text=text)


def statuses() -> list[str]:
    with session_scope() as session:
        return [MessageStatus(m.status).value for m in list_messages(session)]


def use_environment(monkeypatch: pytest.MonkeyPatch, **variables: str) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def test_dispatch_once_sends_what_is_due_and_prints_a_report(migrated_url, capsys):
    queue_sms("Votre code : 482913")
    assert main(["dispatch", "--once"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "SMS to 0612345678: Votre code : 482913",
        "dispatched: sent 1, retried 0, failed 0",
    ]
    assert statuses() == ["sent"]


def test_dispatch_once_uses_twilio_when_configured(
    migrated_url, monkeypatch, fake_twilio, capsys
):
    use_environment(
        monkeypatch,
        SMS_PROVIDER="twilio",
        TWILIO_ACCOUNT_SID=TWILIO_SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_FROM_NUMBER="AuchanTel",
        TWILIO_API_BASE_URL=fake_twilio.url,
    )
    queue_sms("Bonjour")
    assert main(["dispatch", "--once"]) == 0
    assert capsys.readouterr().out == "dispatched: sent 1, retried 0, failed 0\n"
    assert [r.form["Body"] for r in fake_twilio.requests] == ["Bonjour"]


def test_a_provider_without_its_settings_is_reported_without_a_traceback(
    monkeypatch, capsys
):
    use_environment(monkeypatch, SMS_PROVIDER="twilio")
    assert main(["dispatch", "--once"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "interval", ["0", "-1", "soon", "abc", "nan", "inf", "-inf", "1e999", "", " "]
)
def test_the_interval_must_be_a_positive_number(interval, capsys):
    # "--interval=-inf": argparse would take a bare "-inf" for an option.
    with pytest.raises(SystemExit) as exit_:
        main(["dispatch", f"--interval={interval}"])
    assert exit_.value.code == 2
    expected = (
        f"argument --interval: SECONDS must be a positive number, not {interval!r}"
    )
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize(
    "interval, seconds", [("0.5", 0.5), (" 2 ", 2.0), ("1e-3", 0.001)]
)
def test_the_interval_is_read_as_the_settings_read_numbers(interval, seconds):
    args = build_parser().parse_args(["dispatch", f"--interval={interval}"])
    assert args.interval == seconds


def test_the_worker_runs_until_it_is_told_to_stop(migrated_url):
    queue_sms("Bonjour")
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot", "dispatch", "--interval", "0.05"],
        cwd=PROJECT_ROOT,
        env=os.environ | {"DATABASE_URL": migrated_url, "SMS_PROVIDER": "console"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline() == "SMS to 0612345678: Bonjour\n"
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        worker.kill()
        worker.communicate()
    assert statuses() == ["sent"]
