"""Loading and checking conversation files (the format of tests/dialogues/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.dialogue_eval.spec import (
    CATEGORIES,
    Expect,
    FormatError,
    Turn,
    dialogue_files,
    load_sets,
    parse_conversation,
)

LINES = {"0612345678", "0745678901"}


def _conversation(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": "t-001",
        "category": "change",
        "line": "0612345678",
        "turns": [{"say": "je veux décaler"}, {"say": "{code}"}, {"click": "Oui"}],
        "expect": {"porting": "2026-12-19", "sent": ["code", "change_sms"]},
    }
    raw.update(changes)
    return {key: value for key, value in raw.items() if value is not None}


def _problem(raw: dict[str, Any]) -> str:
    with pytest.raises(ValueError) as caught:
        parse_conversation(raw, LINES)
    return str(caught.value)


def _write(folder: Path, name: str, conversations: list[dict[str, Any]]) -> Path:
    path = folder / name
    data = {"writer": "test", "conversations": conversations}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_well_formed_conversation_is_loaded_with_its_turns_and_expectations():
    conversation = parse_conversation(_conversation(), LINES)
    assert conversation.turns[2] == Turn(click="Oui")
    assert conversation.expect == Expect(
        porting="2026-12-19", sent=("code", "change_sms")
    )


def test_missing_expectations_take_the_defaults_of_the_readme():
    raw = _conversation(line=None, turns=[{"say": "bonjour"}], expect=None)
    assert parse_conversation(raw, LINES).expect == Expect(
        "unchanged", (), "none", (), ()
    )


def test_a_spaced_line_is_read_as_its_ten_digits():
    assert parse_conversation(_conversation(line="06 12 34 56 78"), LINES).line == (
        "0612345678"
    )


def test_an_unquoted_yaml_date_is_read_as_an_iso_date():
    raw = yaml.safe_load("porting: 2026-12-19")
    conversation = parse_conversation(_conversation(expect=raw), LINES)
    assert conversation.expect.porting == "2026-12-19"


def test_a_click_may_be_a_number_from_one():
    raw = _conversation(turns=[{"say": "bonjour"}, {"click": 2}])
    assert parse_conversation(raw, LINES).turns[1].click == 2
    assert "click" in _problem(_conversation(turns=[{"click": 0}]))
    assert "click" in _problem(_conversation(turns=[{"click": True}]))


def test_an_unknown_category_is_refused():
    assert "unknown category 'chitchat'" in _problem(_conversation(category="chitchat"))


def test_a_line_outside_the_demo_data_is_refused():
    assert "not a demo line" in _problem(_conversation(line="0699999999"))


def test_a_turn_with_both_say_and_click_is_refused():
    turns = [{"say": "oui", "click": "Oui"}]
    assert "exactly one of 'say' and 'click'" in _problem(_conversation(turns=turns))


def test_a_turn_with_neither_say_nor_click_is_refused():
    turns = [{"reply": ["bonjour"]}]
    assert "turn 1: exactly one" in _problem(_conversation(turns=turns))


def test_a_turn_with_an_unknown_key_is_refused():
    turns = [{"say": "bonjour", "replies": ["x"]}]
    assert "turn 1: unknown key 'replies'" in _problem(_conversation(turns=turns))


def test_code_without_a_line_is_refused():
    problem = _problem(_conversation(line=None, expect=None))
    assert "{code} needs the conversation's 'line'" in problem


def test_a_porting_expectation_without_a_line_is_refused():
    raw = _conversation(
        line=None, turns=[{"say": "x"}], expect={"porting": "cancelled"}
    )
    assert "needs a 'line'" in _problem(raw)


@pytest.mark.parametrize("porting", ["changed", "2026-02-30", "19/12/2026"])
def test_a_porting_expectation_is_unchanged_cancelled_or_an_iso_date(porting):
    assert "expect.porting" in _problem(_conversation(expect={"porting": porting}))


def test_an_unknown_kind_of_message_sent_is_refused():
    problem = _problem(_conversation(expect={"sent": ["code", "sms"]}))
    assert "expect.sent" in problem


def test_an_unknown_handoff_is_refused():
    assert "expect.handoff" in _problem(_conversation(expect={"handoff": "phone"}))


def test_a_reply_must_be_a_list_of_texts():
    turns = [{"say": "bonjour", "reply": "bonjour"}]
    assert "turn 1: reply: expected a list" in _problem(_conversation(turns=turns))


def test_an_empty_alternative_is_refused():
    problem = _problem(_conversation(expect={"says": ["48 h||48 heures"]}))
    assert "empty alternative" in problem


def test_a_silent_turn_cannot_also_check_a_reply():
    turns = [{"say": "allô", "silent": True, "reply": ["x"]}]
    assert "silent" in _problem(_conversation(turns=turns))


def test_a_conversation_key_outside_the_format_is_refused():
    assert "unknown key 'expected'" in _problem(_conversation(expected={}))


def test_files_are_loaded_from_a_folder_in_name_order(tmp_path):
    _write(tmp_path, "b.yml", [_conversation(id="b-1")])
    _write(tmp_path, "a.yml", [_conversation(id="a-1")])
    (tmp_path / "notes.txt").write_text("not a conversation file")
    assert [c.id for c in load_sets([tmp_path], LINES)] == ["a-1", "b-1"]
    assert [p.name for p in dialogue_files([tmp_path])] == ["a.yml", "b.yml"]


def test_each_conversation_knows_its_file(tmp_path):
    path = _write(tmp_path, "w9.yml", [_conversation()])
    assert load_sets([path], LINES)[0].source == str(path)


def test_an_id_used_in_two_files_is_a_problem_naming_both(tmp_path):
    first = _write(tmp_path, "a.yml", [_conversation()])
    second = _write(tmp_path, "b.yml", [_conversation()])
    with pytest.raises(FormatError) as caught:
        load_sets([tmp_path], LINES)
    (problem,) = caught.value.problems
    assert "t-001" in problem and str(first) in problem and str(second) in problem


def test_every_problem_names_its_file_and_conversation(tmp_path):
    path = _write(
        tmp_path,
        "w9.yml",
        [_conversation(id="w9-001", category="x"), _conversation(id="w9-002")],
    )
    with pytest.raises(FormatError) as caught:
        load_sets([path], LINES)
    known = ", ".join(CATEGORIES)
    assert caught.value.problems == [
        f"{path}: w9-001: unknown category 'x' (known: {known})"
    ]


def test_a_file_that_is_not_yaml_or_misses_the_list_is_a_problem(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("conversations: [\n")
    empty = tmp_path / "empty.yml"
    empty.write_text("writer: nobody\n")
    with pytest.raises(FormatError) as caught:
        load_sets([broken, empty], LINES)
    assert [p.split(":")[0] for p in caught.value.problems] == [str(broken), str(empty)]
