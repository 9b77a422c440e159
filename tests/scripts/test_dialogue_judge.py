"""Judging a finished conversation: each check of the README, and wrong actions."""

from __future__ import annotations

from scripts.dialogue_eval.judge import EndState, PortingState, judge
from scripts.dialogue_eval.player import Failure, Played, TurnRecord
from scripts.dialogue_eval.spec import Conversation, Expect, Turn

MARIE, SOPHIE = "0612345678", "0745678901"
SEEDED = {
    MARIE: PortingState("2026-12-14", "morning", "scheduled"),
    SOPHIE: PortingState("2026-12-26", "morning", "scheduled"),
}
MOVED = PortingState("2026-12-19", "morning", "scheduled")
CANCELLED = PortingState("2026-12-26", "morning", "cancelled")


def _conversation(expect: Expect, *turns: Turn, line: str | None = MARIE):
    turns = turns or (Turn(say="je veux décaler"),)
    return Conversation(
        id="t-1", category="change", turns=turns, expect=expect, line=line
    )


def _played(*answers: list[dict]) -> Played:
    return Played([TurnRecord(n, "x", "x", list(a)) for n, a in enumerate(answers, 1)])


def _end(sent=(), handoffs=(), **final: PortingState) -> EndState:
    portings = dict(SEEDED)
    portings.update(
        {{"marie": MARIE, "sophie": SOPHIE}[k]: v for k, v in final.items()}
    )
    return EndState(SEEDED, portings, list(sent), list(handoffs))


def _checks(verdict) -> list[str]:
    return [failure.check for failure in verdict.failures]


def test_a_conversation_that_ends_as_expected_is_right():
    expect = Expect(porting="2026-12-19", sent=("code", "change_sms"), says=("19 déc",))
    answers = [{"text": "C'est fait : le samedi 19 décembre 2026."}]
    verdict = judge(
        _conversation(expect),
        _played(answers),
        _end(sent=["code", "code", "change_sms"], marie=MOVED),
    )
    assert verdict.right and verdict.wrong_actions == []


def test_a_porting_left_unchanged_when_a_date_was_expected_fails_without_wrong_action():
    verdict = judge(_conversation(Expect(porting="2026-12-19")), _played([]), _end())
    assert verdict.failures == [
        Failure(
            f"porting {MARIE}", "2026-12-19", "2026-12-14 morning scheduled (unchanged)"
        )
    ]
    assert verdict.wrong_actions == []


def test_a_date_changed_when_unchanged_was_expected_is_a_wrong_action():
    verdict = judge(_conversation(Expect()), _played([]), _end(marie=MOVED))
    assert _checks(verdict) == [f"porting {MARIE}"]
    assert verdict.wrong_actions == [MARIE]


def test_a_date_other_than_the_expected_one_is_a_wrong_action():
    verdict = judge(
        _conversation(Expect(porting="2026-12-21")), _played([]), _end(marie=MOVED)
    )
    assert verdict.wrong_actions == [MARIE]


def test_a_cancellation_instead_of_a_change_is_a_wrong_action():
    cancelled = PortingState("2026-12-14", "morning", "cancelled")
    verdict = judge(
        _conversation(Expect(porting="2026-12-19")), _played([]), _end(marie=cancelled)
    )
    assert verdict.wrong_actions == [MARIE]


def test_an_expected_cancellation_is_right():
    expect = Expect(porting="cancelled", sent=("code", "cancel_sms"))
    verdict = judge(
        _conversation(expect, line=SOPHIE),
        _played([]),
        _end(sent=["code", "cancel_sms"], sophie=CANCELLED),
    )
    assert verdict.right


def test_another_line_changed_fails_and_is_a_wrong_action_whatever_is_expected():
    verdict = judge(
        _conversation(Expect(porting="2026-12-19")),
        _played([]),
        _end(marie=MOVED, sophie=CANCELLED),
    )
    assert _checks(verdict) == [f"porting {SOPHIE} (other line)"]
    assert verdict.wrong_actions == [SOPHIE]


def test_a_conversation_without_line_changing_a_porting_is_a_wrong_action():
    verdict = judge(_conversation(Expect(), line=None), _played([]), _end(marie=MOVED))
    assert verdict.wrong_actions == [MARIE]


def test_a_missing_kind_of_message_fails_the_sent_check():
    verdict = judge(
        _conversation(Expect(sent=("code", "change_sms"))), _played([]), _end(["code"])
    )
    assert verdict.failures == [Failure("sent", "[change_sms, code]", "code")]


def test_an_unexpected_or_unclassified_message_fails_the_sent_check():
    verdict = judge(_conversation(Expect()), _played([]), _end(["code", "other"]))
    assert verdict.failures == [Failure("sent", "[]", "code, other")]


def test_a_code_sent_several_times_counts_as_one_kind():
    verdict = judge(
        _conversation(Expect(sent=("code",))), _played([]), _end(["code"] * 3)
    )
    assert verdict.right


def test_a_handoff_is_judged_by_the_kinds_of_the_tickets():
    chat = _conversation(Expect(handoff="chat"))
    assert judge(chat, _played([]), _end(handoffs=["chat", "chat"])).right
    failed = judge(chat, _played([]), _end())
    assert failed.failures == [Failure("handoff", "chat", "none")]
    nothing = judge(_conversation(Expect()), _played([]), _end(handoffs=["callback"]))
    assert nothing.failures == [Failure("handoff", "none", "callback")]


def test_says_looks_in_every_answer_and_button_title():
    expect = Expect(says=("je confirme", "14 decembre|14/12"))
    answers = [
        {"text": "Prévue le 14 décembre.", "buttons": [{"title": "Oui, je confirme"}]}
    ]
    assert judge(_conversation(expect), _played([], answers), _end()).right


def test_a_says_item_found_nowhere_fails():
    verdict = judge(
        _conversation(Expect(says=("3179",))), _played([{"text": "Bonjour"}]), _end()
    )
    assert verdict.failures == [Failure("says", "'3179'", "not in the answers")]


def test_a_never_says_item_found_fails_with_the_answer():
    expect = Expect(never_says=("annul",))
    verdict = judge(_conversation(expect), _played([{"text": "C'est annulé."}]), _end())
    assert verdict.failures == [
        Failure("never_says", "never 'annul'", '"C\'est annulé."')
    ]


def test_a_reply_is_checked_against_its_own_turn_only():
    turns = (Turn(say="a"), Turn(say="b", reply=("lundi 14 décembre",)))
    played = _played([{"text": "lundi 14 décembre"}], [{"text": "Quelle date ?"}])
    verdict = judge(_conversation(Expect(), *turns), played, _end())
    assert verdict.failures == [
        Failure("turn 2 reply", "'lundi 14 décembre'", "'Quelle date ?'")
    ]


def test_a_silent_turn_fails_when_the_assistant_answers():
    turns = (Turn(say="a"), Turn(say="allô ?", silent=True))
    verdict = judge(
        _conversation(Expect(), *turns), _played([], [{"text": "Oui ?"}]), _end()
    )
    assert verdict.failures == [Failure("turn 2 silent", "no answer", "'Oui ?'")]
    quiet = judge(_conversation(Expect(), *turns), _played([], []), _end())
    assert quiet.right


def test_an_aborted_conversation_fails_with_the_reason_first():
    played = _played([])
    played.aborted = Failure(
        "turn 2 click", "a button starting with 'Oui'", "no button"
    )
    verdict = judge(_conversation(Expect()), played, _end())
    assert _checks(verdict) == ["turn 2 click"]
