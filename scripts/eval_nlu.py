"""Score the trained NLU model on held-out sets: intents, fallback and entity values.

Usage: python scripts/eval_nlu.py [--model PATH] [--data PATH ...] [--errors N]
For each set: the per-intent report, intent accuracy and macro-F1 (also on the part
of the set whose text is not in the training data), the worst confusions, and the
entity-value accuracy (each annotated entity must come back with its exact
normalised value; entities found where none is annotated are false positives).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.disable(logging.WARNING)
import structlog  # noqa: E402

# Rasa logs every parse at debug level through structlog; keep the report readable.
structlog.configure(
    wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING)
)

from rasa.core.agent import Agent  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from sklearn.metrics import classification_report, f1_score  # noqa: E402

ENTITY_TYPES = {"phone_number", "order_id", "email", "rio", "otp_code"}
FALLBACK = "nlu_fallback"
DEFAULT_SETS = ["tests/nlu/heldout.yml", "tests/nlu/blind.yml"]
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)


def _folded(text: str) -> str:
    """Lower case, no accents, no punctuation: how overlap with training is judged."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"\W+", " ", text).strip()


def _entity_pairs(entities: list[dict]) -> Counter:
    return Counter(
        (e["entity"], str(e.get("value", "")))
        for e in entities or []
        if e["entity"] in ENTITY_TYPES
    )


def _macro_f1(gold: list[str], predicted: list[str]) -> float:
    labels = sorted(set(gold))
    return f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)


def evaluate(agent: Agent, path: Path, training: set[str], errors: int) -> None:
    """Print the report for one held-out set."""
    examples = load_data(str(path)).intent_examples
    texts = [ex.get("text") for ex in examples]
    gold = [ex.get("intent") for ex in examples]
    parsed = asyncio.run(_parse_all(agent, texts))
    predicted = [p["intent"]["name"] for p in parsed]
    unseen = [i for i, text in enumerate(texts) if _folded(text) not in training]

    print(f"\n===== {path} =====")
    print(
        classification_report(
            gold, predicted, labels=sorted(set(gold)), digits=3, zero_division=0
        )
    )
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    print("Most frequent confusions (expected -> predicted):")
    for (g, p), n in confusions.most_common(8):
        print(f"  {n:3d}  {g} -> {p}")
    misses = [
        (t, g, p) for t, g, p in zip(texts, gold, predicted, strict=True) if g != p
    ]
    if errors:
        print(f"Misclassified examples (first {errors}):")
        for text, g, p in misses[:errors]:
            print(f"  [{g} -> {p}] {text}")

    expected_total = right = false_positives = 0
    for example, result in zip(examples, parsed, strict=True):
        expected = _entity_pairs(example.get("entities"))
        got = _entity_pairs(result.get("entities"))
        expected_total += sum(expected.values())
        right += sum((expected & got).values())
        false_positives += sum((got - expected).values())
        if expected != got and errors:
            print(f"  entity mismatch: {example.get('text')!r}: {dict(got)}")

    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    print(f"Summary for {path}")
    print(f"  examples                 {len(gold)}")
    print(f"  intent accuracy          {accuracy:.3f}")
    print(f"  intent macro-F1          {_macro_f1(gold, predicted):.3f}")
    print(
        f"  macro-F1, unseen texts   "
        f"{_macro_f1([gold[i] for i in unseen], [predicted[i] for i in unseen]):.3f}"
        f" ({len(unseen)} not in the training data)"
    )
    print(f"  below threshold          {predicted.count(FALLBACK)} ({FALLBACK})")
    print("  macro-F1 if the fallback threshold were:")
    top = [_top_intent(p) for p in parsed]
    for threshold in THRESHOLDS:
        at = [name if conf >= threshold else FALLBACK for name, conf in top]
        below = at.count(FALLBACK)
        print(f"    {threshold:.2f}: {_macro_f1(gold, at):.3f} ({below} below)")
    if expected_total:
        print(
            f"  entity values right      {right}/{expected_total} "
            f"= {right / expected_total:.3f}"
        )
        print(f"  entity false positives   {false_positives}")


def _top_intent(parsed: dict) -> tuple[str, float]:
    """The best intent other than the fallback, with its confidence."""
    ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != FALLBACK]
    return (
        (ranking[0]["name"], ranking[0]["confidence"]) if ranking else (FALLBACK, 0.0)
    )


async def _parse_all(agent: Agent, texts: list[str]) -> list[dict]:
    return [await agent.parse_message(text) for text in texts]


def main() -> int:
    """Evaluate every set; exit 1 if the model is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/current.tar.gz", type=Path)
    parser.add_argument("--data", action="append", type=Path)
    parser.add_argument("--training", default="data/nlu.yml", type=Path)
    parser.add_argument("--errors", type=int, default=0, help="misses to list per set")
    args = parser.parse_args()
    if not args.model.exists():
        print(f"error: no model at {args.model} (run `make train`)", file=sys.stderr)
        return 1
    training = {
        _folded(ex.get("text")) for ex in load_data(str(args.training)).intent_examples
    }
    agent = Agent.load(str(args.model))
    for path in args.data or [Path(p) for p in DEFAULT_SETS]:
        evaluate(agent, path, training, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
