"""What each part of the understanding pays: intent macro-F1 on the held-out sets,
milliseconds per message and training time, one row per variant.

Usage: python scripts/nlu_components.py [--skip-diet] [--json FILE]

- `tfidf_lr`: a plain TF-IDF (words 1-2, characters 2-5) + logistic regression on
  the raw text, the baseline the shipped pipeline must beat;
- `+placeholders`: the same reading identifiers and dates as placeholder words
  (`bot.intent_text`);
- `+embedding`: the same with the multilingual-e5-small sentence embedding next to
  the n-grams (`nlu.embeddings`): the shipped intent classifier alone;
- `shipped (config.yml)`: the whole NLU pipeline trained by `rasa train nlu`, with
  the pattern extractors, the FallbackClassifier and the corrections;
- `with DIET (before)`: the previous pipeline, spaCy, count vectors and DIET
  blended with the TF-IDF model (`scripts/nlu_variants/with_diet.yml`).

Milliseconds are one message at a time on this machine (mean over the blind set);
for the Rasa variants they include the whole pipeline, and "load" is the time to
load the trained model, most of a server's start. Figures go to standard output and,
with --json, to a file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.disable(logging.WARNING)
import structlog  # noqa: E402

structlog.configure(
    wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING)
)

from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.intent_text import masked_for_intent  # noqa: E402
from nlu.blended_intent import (  # noqa: E402
    BlendedIntentClassifier,
    feature_matrix,
    ngram_features,
)

TRAINING = ROOT / "data" / "nlu.yml"
SETS = {
    "heldout": ROOT / "tests/nlu/heldout.yml",
    "blind": ROOT / "tests/nlu/blind.yml",
}
CONFIGS = {
    "shipped (config.yml)": ROOT / "config.yml",
    "with DIET (before)": ROOT / "scripts/nlu_variants/with_diet.yml",
}
# The shipped classifier's settings (n-grams, C, embedding weight).
SHIPPED = BlendedIntentClassifier.get_default_config()


@dataclass
class Row:
    """One variant's figures."""

    variant: str
    heldout_macro_f1: float
    blind_macro_f1: float
    ms_per_message: float
    training_s: float
    load_s: float | None = None


def row(
    name: str,
    scores: dict[str, float],
    per_message: list[float],
    training_s: float,
    load_s: float | None = None,
) -> Row:
    """The rounded figures of one variant (milliseconds over the blind set)."""
    return Row(
        name,
        round(scores["heldout"], 3),
        round(scores["blind"], 3),
        round(1000 * sum(per_message) / len(per_message), 1),
        round(training_s, 1),
        None if load_s is None else round(load_s, 1),
    )


def examples(path: Path) -> tuple[list[str], list[str]]:
    """The texts and intents of a Rasa NLU file."""
    found = load_data(str(path)).intent_examples
    return [e.get("text") for e in found], [e.get("intent") for e in found]


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Macro-F1 over the intents of the gold labels (a fallback counts as wrong)."""
    labels = sorted(set(gold))
    return float(
        f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)
    )


def linear_variant(
    name: str, prepare: Callable[[str], str], with_embedding: bool
) -> Row:
    """Train and score one TF-IDF + logistic regression variant in this process."""

    features = ngram_features(SHIPPED["word_ngrams"], SHIPPED["char_ngrams"])
    weight = SHIPPED["embedding_weight"] if with_embedding else 0.0

    def matrix(texts: list[str], fit: bool = False) -> Any:
        return feature_matrix(features, texts, weight, fit=fit)

    texts, intents = examples(TRAINING)
    started = time.perf_counter()
    classifier = LogisticRegression(C=SHIPPED["C"], tol=SHIPPED["tol"], max_iter=5000)
    classifier.fit(matrix([prepare(t) for t in texts], fit=True), intents)
    training_s = time.perf_counter() - started

    scores: dict[str, float] = {}
    per_message: list[float] = []
    for set_name, path in SETS.items():
        held_texts, gold = examples(path)
        predicted = []
        for text in held_texts:
            started = time.perf_counter()
            predicted.append(classifier.predict(matrix([prepare(text)]))[0])
            if set_name == "blind":
                per_message.append(time.perf_counter() - started)
        scores[set_name] = macro_f1(gold, predicted)
    return row(name, scores, per_message, training_s)


def rasa_variant(name: str, config: Path, workdir: Path) -> Row:
    """Train `config` with `rasa train nlu`, then parse the sets one at a time."""
    from rasa.core.agent import Agent

    out = workdir / name.split()[0]
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "nlu",
            "--config",
            str(config),
            "--nlu",
            str(TRAINING),
            "--out",
            str(out),
            "--fixed-model-name",
            "nlu",
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    training_s = time.perf_counter() - started
    started = time.perf_counter()
    agent = Agent.load(str(out / "nlu.tar.gz"))
    load_s = time.perf_counter() - started

    async def parse_all(texts: list[str]) -> tuple[list[str], list[float]]:
        names, seconds = [], []
        for text in texts:
            begun = time.perf_counter()
            parsed = await agent.parse_message(text)
            seconds.append(time.perf_counter() - begun)
            names.append(parsed["intent"]["name"])
        return names, seconds

    scores: dict[str, float] = {}
    per_message: list[float] = []
    for set_name, path in SETS.items():
        texts, gold = examples(path)
        predicted, seconds = asyncio.run(parse_all(texts))
        scores[set_name] = macro_f1(gold, predicted)
        if set_name == "blind":
            per_message = seconds
    return row(name, scores, per_message, training_s, load_s)


def main() -> int:
    """Measure every variant and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-diet", action="store_true", help="the slow variant")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()

    rows = [
        linear_variant("tfidf_lr", str, with_embedding=False),
        linear_variant("+placeholders", masked_for_intent, with_embedding=False),
        linear_variant("+embedding", masked_for_intent, with_embedding=True),
    ]
    with tempfile.TemporaryDirectory() as workdir:
        for name, config in CONFIGS.items():
            if args.skip_diet and "DIET" in name:
                continue
            rows.append(rasa_variant(name, config, Path(workdir)))

    header = f"{'variant':22} {'heldout F1':>10} {'blind F1':>9} {'ms/msg':>7} "
    print(header + f"{'train s':>8} {'load s':>7}")
    for row in rows:
        load = "" if row.load_s is None else f"{row.load_s:7.1f}"
        print(
            f"{row.variant:22} {row.heldout_macro_f1:10.3f} {row.blind_macro_f1:9.3f} "
            f"{row.ms_per_message:7.1f} {row.training_s:8.1f} {load}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
