"""Score the trained NLU model on a held-out set: intents, fallback and entity values.

Usage: python scripts/eval_nlu.py [--model PATH] [--data PATH ...]
Prints intent accuracy, macro-F1, per-intent F1, the worst confusions and the
entity-value accuracy (each annotated entity must come back with its exact normalised
value; entities found where none is annotated are counted as false positives).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.disable(logging.WARNING)

from rasa.core.agent import Agent  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from sklearn.metrics import classification_report, f1_score  # noqa: E402

ENTITY_TYPES = {"phone_number", "order_id", "email", "rio", "otp_code"}
FALLBACK = "nlu_fallback"


def _expected_entities(example) -> Counter:
    return Counter(
        (e["entity"], str(e.get("value", "")))
        for e in example.get("entities") or []
        if e["entity"] in ENTITY_TYPES
    )


async def _parse_all(model: Path, texts: list[str]) -> list[dict]:
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def main() -> int:
    """Evaluate and print the report; exit 1 if the model or data are missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/current.tar.gz", type=Path)
    parser.add_argument("--data", default="tests/nlu/heldout.yml", type=Path)
    parser.add_argument(
        "--errors", type=int, default=25, help="misclassified examples to list"
    )
    args = parser.parse_args()
    if not args.model.exists():
        print(
            f"error: no trained model at {args.model} (run `make train`)",
            file=sys.stderr,
        )
        return 1

    examples = [ex for ex in load_data(str(args.data)).intent_examples]
    texts = [ex.get("text") for ex in examples]
    gold = [ex.get("intent") for ex in examples]
    parsed = asyncio.run(_parse_all(args.model, texts))
    predicted = [p["intent"]["name"] for p in parsed]

    labels = sorted(set(gold))
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=False)) / len(gold)
    macro_f1 = f1_score(
        gold, predicted, labels=labels, average="macro", zero_division=0
    )
    fallbacks = sum(p == FALLBACK for p in predicted)

    expected_total = found_right = false_positives = 0
    entity_errors = []
    for example, result in zip(examples, parsed, strict=False):
        expected = _expected_entities(example)
        got = Counter(
            (e["entity"], str(e["value"]))
            for e in result.get("entities", [])
            if e["entity"] in ENTITY_TYPES
        )
        right = sum((expected & got).values())
        expected_total += sum(expected.values())
        found_right += right
        false_positives += sum((got - expected).values())
        if expected != got:
            entity_errors.append((example.get("text"), dict(expected), dict(got)))

    print(
        classification_report(gold, predicted, labels=labels, digits=3, zero_division=0)
    )
    confusions = Counter(
        (g, p) for g, p in zip(gold, predicted, strict=False) if g != p
    )
    print("Most frequent confusions (expected -> predicted):")
    for (g, p), n in confusions.most_common(10):
        print(f"  {n:3d}  {g} -> {p}")
    print(f"\nMisclassified examples (first {args.errors}):")
    misses = [
        (t, g, p) for t, g, p in zip(texts, gold, predicted, strict=False) if g != p
    ]
    for text, g, p in misses[: args.errors]:
        print(f"  [{g} -> {p}] {text}")
    for text, expected, got in entity_errors[:10]:
        print(f"  entity mismatch: {text!r}: expected {expected}, got {got}")

    print("\nSummary")
    print(f"  examples            {len(gold)}")
    print(f"  intent accuracy     {accuracy:.3f}")
    print(f"  intent macro-F1     {macro_f1:.3f}")
    print(f"  below threshold     {fallbacks} ({FALLBACK})")
    value_accuracy = found_right / expected_total if expected_total else float("nan")
    print(
        f"  entity values right {found_right}/{expected_total} = {value_accuracy:.3f}"
    )
    print(f"  entity false pos.   {false_positives}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
