"""The outbox worker: send, retry with backoff, give up, and survive restarts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from bot.config import Settings
from bot.db import dispose_engines, session_scope
from bot.messaging import DispatchReport, SendError, dispatch_pending, run_forever
from bot.messaging.outbox_claims import CLAIM_LEASE
from bot.messaging.outbox_outcomes import retry_delay
from bot.models import Channel, MessageStatus, OutboxMessage
from bot.outbox import enqueue, list_messages
from tests.bot.messaging.fakes import RecordingSender, ScriptedSender, retryable

NOW = datetime(2026, 5, 20, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def settings(migrated_url: str) -> Settings:
    """Settings on the test's migrated database."""
    return Settings(database_url=migrated_url, outbox_max_attempts=3)


def queue(settings: Settings, *texts: str, channel: str = "sms") -> list[int]:
    """Queue one message per text, oldest first; return their ids."""
    to = "0612345678" if channel == "sms" else "client@example.fr"
    with session_scope(settings) as session:
        messages = [enqueue(session, channel=channel, to=to, text=t) for t in texts]
        session.flush()
        return [message.id for message in messages]


def messages(settings: Settings) -> list[OutboxMessage]:
    with session_scope(settings) as session:
        return list_messages(session)


def dispatch(
    settings: Settings, sender, now: datetime = NOW, **kwargs
) -> DispatchReport:
    senders = {Channel.SMS: sender}
    return dispatch_pending(settings=settings, senders=senders, now=now, **kwargs)


def run_in_threads(count: int, work: Callable[[], object]) -> list[BaseException]:
    """Run `work` in `count` threads at once; return the exceptions they raised."""
    errors: list[BaseException] = []

    def guarded() -> None:
        try:
            work()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guarded) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_a_sent_message_is_marked_sent_with_its_time(settings):
    queue(settings, "Votre code : 482913")
    sender = RecordingSender()
    assert dispatch(settings, sender) == DispatchReport(sent=1)
    assert sender.sent == [("0612345678", "Votre code : 482913")]
    [message] = messages(settings)
    assert message.status == MessageStatus.SENT
    assert message.sent_at == NOW
    assert message.attempts == 1
    assert message.next_attempt_at is None


def test_the_oldest_messages_go_first_and_each_only_once(settings):
    queue(settings, "un", "deux", "trois")
    sender = RecordingSender()
    dispatch(settings, sender)
    dispatch(settings, sender, now=NOW + timedelta(hours=1))
    assert [text for _, text in sender.sent] == ["un", "deux", "trois"]


def test_a_dispatch_sends_no_more_than_its_limit(settings):
    queue(settings, "un", "deux", "trois")
    assert dispatch(settings, RecordingSender(), limit=2) == DispatchReport(sent=2)
    assert [m.status for m in messages(settings)].count(MessageStatus.PENDING) == 1


def test_a_retryable_failure_is_tried_again_after_a_backoff(settings):
    queue(settings, "x")
    sender = ScriptedSender([retryable("HTTP 503"), "id-1"])
    assert dispatch(settings, sender) == DispatchReport(retried=1)
    [message] = messages(settings)
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 1
    assert message.last_error == "HTTP 503"
    assert NOW + timedelta(seconds=4.5) <= message.next_attempt_at
    assert message.next_attempt_at <= NOW + timedelta(seconds=5)

    assert dispatch(settings, sender, now=NOW + timedelta(seconds=2)).total == 0
    later = NOW + timedelta(seconds=5)
    assert dispatch(settings, sender, now=later) == DispatchReport(sent=1)
    [message] = messages(settings)
    assert (message.status, message.attempts, message.sent_at) == ("sent", 2, later)


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 5), (2, 10), (3, 20), (4, 40), (7, 320), (8, 600), (30, 600)],
)
def test_the_backoff_doubles_from_5_seconds_up_to_10_minutes(attempts, seconds):
    assert retry_delay(attempts, rand=lambda: 0.0) == timedelta(seconds=seconds)
    jittered = retry_delay(attempts, rand=lambda: 1.0)
    assert timedelta(seconds=seconds * 0.9) <= jittered < timedelta(seconds=seconds)


def test_a_refused_message_fails_at_once(settings):
    queue(settings, "x")
    sender = ScriptedSender([SendError("HTTP 400: invalid number", retryable=False)])
    assert dispatch(settings, sender) == DispatchReport(failed=1)
    [message] = messages(settings)
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "HTTP 400: invalid number"
    assert message.next_attempt_at is None
    assert dispatch(settings, sender, now=NOW + timedelta(days=1)).total == 0
    assert len(sender.calls) == 1


def test_a_message_fails_when_its_attempts_reach_the_maximum(settings):
    queue(settings, "x")
    sender = ScriptedSender([retryable("timeout")])
    reports = [
        dispatch(settings, sender, now=NOW + timedelta(minutes=minute))
        for minute in range(5)
    ]
    assert reports[:3] == [
        DispatchReport(retried=1),
        DispatchReport(retried=1),
        DispatchReport(failed=1),
    ]
    assert sum(report.total for report in reports[3:]) == 0
    [message] = messages(settings)
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 3
    assert message.last_error == "timeout (gave up after 3 attempts)"


def test_a_message_not_yet_due_is_left_for_later(settings):
    later, due = queue(settings, "later", "due")
    with session_scope(settings) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([later, due]))
            .values(next_attempt_at=NOW + timedelta(minutes=1))
        )
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == due)
            .values(next_attempt_at=NOW)
        )
    sender = RecordingSender()
    assert dispatch(settings, sender) == DispatchReport(sent=1)
    assert sender.sent == [("0612345678", "due")]


def test_e_mails_stay_pending_while_no_e_mail_sender_exists(settings):
    queue(settings, "un e-mail", channel="email")
    queue(settings, "un SMS")
    sender = RecordingSender()
    assert dispatch(settings, sender) == DispatchReport(sent=1)
    email = next(m for m in messages(settings) if m.channel == Channel.EMAIL)
    assert (email.status, email.attempts, email.next_attempt_at) == ("pending", 0, None)
    assert dispatch_pending(settings=settings, senders={}, now=NOW).total == 0


def test_each_channel_goes_to_its_own_sender(settings):
    queue(settings, "un e-mail", channel="email")
    queue(settings, "un SMS")
    sms, email = RecordingSender(), RecordingSender()
    senders = {Channel.SMS: sms, Channel.EMAIL: email}
    assert dispatch_pending(settings=settings, senders=senders, now=NOW).sent == 2
    assert sms.sent == [("0612345678", "un SMS")]
    assert email.sent == [("client@example.fr", "un e-mail")]


def test_pending_messages_survive_a_restart(settings):
    queue(settings, "x")
    dispose_engines()  # as if the process stopped: a new engine and session follow
    [message] = messages(settings)
    assert message.status == MessageStatus.PENDING
    assert dispatch(settings, RecordingSender()) == DispatchReport(sent=1)


def test_a_send_interrupted_by_a_crash_is_never_marked_sent_and_is_resumed(settings):
    queue(settings, "x")
    with pytest.raises(KeyboardInterrupt):
        dispatch(settings, ScriptedSender([KeyboardInterrupt()]))
    dispose_engines()
    [message] = messages(settings)
    assert (message.status, message.attempts, message.sent_at) == ("pending", 1, None)
    sender = RecordingSender()
    assert dispatch(settings, sender, now=NOW + timedelta(seconds=30)).total == 0
    assert dispatch(settings, sender, now=NOW + CLAIM_LEASE) == DispatchReport(sent=1)
    assert messages(settings)[0].attempts == 2


def test_a_message_interrupted_on_its_last_attempt_fails(settings):
    queue(settings, "x")
    with session_scope(settings) as session:
        session.execute(update(OutboxMessage).values(attempts=2))
    with pytest.raises(KeyboardInterrupt):
        dispatch(settings, ScriptedSender([KeyboardInterrupt()]))
    sender = RecordingSender()
    assert dispatch(settings, sender, now=NOW + CLAIM_LEASE) == DispatchReport(failed=1)
    [message] = messages(settings)
    assert message.status == MessageStatus.FAILED
    assert "interrupted" in message.last_error
    assert sender.sent == []


def test_an_unexpected_sender_error_is_recorded_as_a_retryable_failure(settings):
    queue(settings, "x")
    assert dispatch(settings, ScriptedSender([RuntimeError("bug")])).retried == 1
    assert messages(settings)[0].last_error == "RuntimeError: bug"


def test_a_naive_time_is_refused(settings):
    with pytest.raises(ValueError, match="naive"):
        dispatch(settings, RecordingSender(), now=datetime(2026, 5, 20, 9, 0))


def test_concurrent_dispatchers_send_each_message_once(settings):
    texts = [f"message {n}" for n in range(20)]
    queue(settings, *texts)
    sender = RecordingSender(delay=0.005)
    assert run_in_threads(3, lambda: dispatch(settings, sender)) == []
    assert sorted(text for _, text in sender.sent) == sorted(texts)
    assert {m.status for m in messages(settings)} == {MessageStatus.SENT}


def test_the_worker_sends_until_it_is_stopped(settings):
    queue(settings, "x")
    stop = threading.Event()

    class StoppingSender(RecordingSender):
        def send(self, to: str, text: str) -> str:
            stop.set()
            return super().send(to, text)

    sender = StoppingSender()
    worker = threading.Thread(
        target=run_forever, args=(settings, {Channel.SMS: sender}, 0.01, stop)
    )
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert sender.sent == [("0612345678", "x")]
    assert messages(settings)[0].status == MessageStatus.SENT


def test_the_worker_outlives_database_errors(database_url, caplog):
    # The database exists but was never migrated: every look at the outbox fails.
    stop = threading.Event()
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    senders = {Channel.SMS: RecordingSender()}
    run_forever(
        Settings(database_url=database_url), senders, interval=0.02, stop_event=stop
    )
    timer.join()
    assert "outbox dispatch failed" in caplog.text
