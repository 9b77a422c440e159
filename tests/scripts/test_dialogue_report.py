"""The printed report and the JSON file."""

from __future__ import annotations

import json

from scripts.dialogue_eval.judge import EndState, PortingState, judge
from scripts.dialogue_eval.player import Played, TurnRecord
from scripts.dialogue_eval.report import Result, summary, to_json
from scripts.dialogue_eval.spec import Conversation, Expect, Turn

MARIE = "0612345678"
SEEDED = {MARIE: PortingState("2026-12-14", "morning", "scheduled")}
MOVED = PortingState("2026-12-19", "morning", "scheduled")


def _result(id_: str, category: str, expect: Expect, final=None, sent=()) -> Result:
    conversation = Conversation(
        id=id_, category=category, turns=(Turn(say="oui"),), expect=expect, line=MARIE
    )
    played = Played(
        [
            TurnRecord(
                1,
                "oui",
                "/affirm",
                [{"text": "C'est fait.", "buttons": [{"title": "Merci"}]}],
                clicked="Oui",
            )
        ]
    )
    end = EndState(SEEDED, {MARIE: final or SEEDED[MARIE]}, list(sent), [])
    return Result(
        conversation, f"eval-{id_}", played, end, judge(conversation, played, end)
    )


RESULTS = [
    _result(
        "a-1",
        "change",
        Expect(porting="2026-12-19", sent=("change_sms",)),
        MOVED,
        ["change_sms"],
    ),
    _result("a-2", "change", Expect(porting="2026-12-19")),
    _result("a-3", "status", Expect(), MOVED, ["change_sms"]),
]


def test_the_summary_gives_the_share_right_and_the_wrong_actions():
    text = summary(RESULTS, 42.0, 20.0)
    assert "Conversations right: 1/3 (33.3 %)" in text
    assert "Wrong actions: 1 (a-3: 0612345678)" in text


def test_the_summary_has_a_row_per_category_present_in_the_readme_order():
    rows = [line.split() for line in summary(RESULTS, 1, 1).splitlines()]
    assert ["change", "2", "1", "50.0"] in rows
    assert ["status", "1", "0", "0.0"] in rows
    assert ["all", "3", "1", "33.3"] in rows
    assert not any(row[:1] == ["cancel"] for row in rows)


def test_each_failing_conversation_is_listed_with_its_failed_checks():
    text = summary(RESULTS, 1, 1)
    assert "a-2 [change]\n  - porting 0612345678: expected 2026-12-19" in text
    assert "a-3 [status] WRONG ACTION" in text
    assert "a-1 [" not in text


def test_the_transcript_is_printed_only_when_verbose():
    assert "C'est fait." not in summary(RESULTS, 1, 1)
    verbose = summary(RESULTS, 1, 1, verbose=True)
    assert " 1 > [Oui] (/affirm)" in verbose
    assert "   < C'est fait." in verbose and "     [Merci]" in verbose


def test_the_json_holds_every_conversation_with_its_transcript():
    data = json.loads(json.dumps(to_json(RESULTS, 42.0, 20.0, ["w1.yml"])))
    assert (data["total"], data["right"], data["wrong_actions"]) == (3, 1, ["a-3"])
    first, second, third = data["conversations"]
    assert first["right"] and first["failures"] == []
    assert second["failures"][0]["check"] == "porting 0612345678"
    assert third["wrong_action"] and third["wrong_action_lines"] == [MARIE]
    assert second["transcript"][0]["answers"][0]["text"] == "C'est fait."
    assert data["categories"][0] == {"category": "change", "n": 2, "right": 1}
