"""Every held-out conversation file follows the format of tests/dialogues/README.md.

Unique ids across files, known categories, turns that are a `say` or a `click` with
only the allowed keys, `expect.porting` unchanged / cancelled / an ISO date, known
kinds of messages and handoffs, `line` one of the demo lines, `{code}` only with a
`line` (scripts/dialogue_eval/spec.py holds the rules).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_FIXTURE
from bot.seed import load_fixture
from scripts.dialogue_eval.spec import check_file, dialogue_files, duplicate_ids

# heldout/ guides the work (its failures are read); blind/ only ever gives a score.
SETS = [Path(__file__).parent / name for name in ("heldout", "blind")]
FILES = dialogue_files([folder for folder in SETS if folder.is_dir()])
DEMO_LINES = {
    line.msisdn for customer in load_fixture(DEFAULT_FIXTURE).customers
    for line in customer.lines
}  # fmt: skip


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_each_file_follows_the_format(path: Path):
    conversations, problems = check_file(path, DEMO_LINES)
    assert problems == [], "\n".join(problems)
    assert conversations, f"{path}: no conversation"


def test_ids_are_unique_across_the_files():
    conversations = [c for path in FILES for c in check_file(path, DEMO_LINES)[0]]
    problems = duplicate_ids(conversations)
    assert problems == [], "\n".join(problems)
