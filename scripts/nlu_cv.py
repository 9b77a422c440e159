"""Error analysis of the intent classifier without Rasa: stratified k-fold
cross-validation on the training data and a score on the development set.

Usage: python scripts/nlu_cv.py [--folds 5] [--seed 0] [--C 20] [--weight 2]
       [--word 1 2] [--char 2 5] [--errors N] [--training data/nlu.yml]
       [--subset OLD.yml] [--dev tests/nlu/heldout.yml] [--no-dev]

The model is the shipped classifier's (`nlu.blended_intent`: TF-IDF word and
character n-grams of the masked text next to the weighted sentence embedding, a
logistic regression); settings default to its defaults. Embeddings are cached in
/tmp (keyed by the masked text), so that a second run or a grid is quicker. Prints
per-intent F1, macro-F1, the most frequent confusions and, with --errors, the
misclassified examples; each macro-F1 is also given "piped", after config.yml's
fallback (0.3, ambiguity 0.1) and the corrections that need no entity
(`bot.intent_rules`: ambiguity resolved between compatible readings, a weak
out-of-scope reading asks again). --subset scores the cross-validation on the
examples of another file only (the training data before examples were added), so
that figures stay comparable when the training data grows. Only the development
set is scored: the blind set is never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.disable(logging.WARNING)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from scipy.sparse import csr_matrix, hstack  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import classification_report, f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from bot.intent_rules import resolve_ambiguity, weak_out_of_scope  # noqa: E402
from bot.intent_text import masked_for_intent  # noqa: E402
from nlu.blended_intent import BlendedIntentClassifier, ngram_features  # noqa: E402
from nlu.embeddings import embed  # noqa: E402

CACHE = Path("/tmp/nlu_cv_embeddings.npz")
DEFAULTS = BlendedIntentClassifier.get_default_config()
# config.yml's FallbackClassifier.
FALLBACK = "nlu_fallback"
THRESHOLD = 0.3
AMBIGUITY = 0.1


def examples(path: Path) -> tuple[list[str], list[str]]:
    """The texts and intents of a Rasa NLU file (its name must end in .yml)."""
    found = load_data(str(path)).intent_examples
    return [e.get("text") for e in found], [e.get("intent") for e in found]


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()


def embeddings(texts: list[str]) -> np.ndarray:
    """The sentence embeddings of `texts`, through the cache in /tmp."""
    cached: dict[str, np.ndarray] = {}
    if CACHE.exists():
        with np.load(CACHE) as stored:
            cached = {key: stored[key] for key in stored.files}
    missing = sorted({t for t in texts if _key(t) not in cached})
    if missing:
        for text, vector in zip(missing, embed(missing), strict=True):
            cached[_key(text)] = vector
        np.savez(CACHE, **cached)
    return np.vstack([cached[_key(t)] for t in texts])


def fit_predict(
    train: list[str],
    train_vectors: np.ndarray,
    labels: list[str],
    test: list[str],
    test_vectors: np.ndarray,
    args: argparse.Namespace,
) -> tuple[list[str], np.ndarray, list[str]]:
    """Fit the shipped model's recipe on `train`; the predicted intents of `test`,
    their probabilities and the classes in the probabilities' order."""
    features = ngram_features(list(args.word), list(args.char))
    train_x = features.fit_transform(train)
    test_x = features.transform(test)
    if args.weight:
        train_x = hstack([train_x, csr_matrix(train_vectors * args.weight)]).tocsr()
        test_x = hstack([test_x, csr_matrix(test_vectors * args.weight)]).tocsr()
    classifier = LogisticRegression(C=args.C, tol=DEFAULTS["tol"], max_iter=5000)
    classifier.fit(train_x, labels)
    probabilities = classifier.predict_proba(test_x)
    classes = list(classifier.classes_)
    return [classes[i] for i in probabilities.argmax(axis=1)], probabilities, classes


def with_fallback(text: str, probabilities: np.ndarray, classes: list[str]) -> str:
    """The intent after the shipped pipeline's fallback and the corrections that
    need no entity (`nlu.date_answers`): a weak or ambiguous best intent falls back
    unless `resolve_ambiguity` keeps one, a weak out-of-scope reading falls back.
    The date relabelling is left out (it needs the extracted entities)."""
    order = np.argsort(-probabilities)
    ranking = [
        {"name": classes[i], "confidence": float(probabilities[i])} for i in order
    ]
    first, second = ranking[0]["confidence"], ranking[1]["confidence"]
    if first < THRESHOLD or first - second < AMBIGUITY:
        return resolve_ambiguity(ranking, THRESHOLD, text) or FALLBACK
    if weak_out_of_scope(ranking[0]["name"], first):
        return FALLBACK
    return str(ranking[0]["name"])


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    """Macro-F1 over the gold intents (a fallback counts as wrong)."""
    labels = sorted(set(gold))
    return float(
        f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)
    )


def report(
    name: str, texts: list[str], gold: list[str], predicted: list[str], errors: int
) -> float:
    """Print per-intent scores and confusions; return macro-F1."""
    labels = sorted(set(gold))
    print(f"\n===== {name} =====")
    print(classification_report(gold, predicted, labels=labels, digits=3))
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    print("Most frequent confusions (expected -> predicted):")
    for (g, p), n in confusions.most_common(15):
        print(f"  {n:3d}  {g} -> {p}")
    misses = [
        (g, p, t) for t, g, p in zip(texts, gold, predicted, strict=True) if g != p
    ]
    for g, p, t in sorted(misses)[:errors]:
        print(f"  [{g} -> {p}] {t}")
    macro = macro_f1(gold, predicted)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    print(f"{name}: accuracy {accuracy:.4f}  macro-F1 {macro:.4f}")
    return macro


def main() -> int:
    """Cross-validate on the training data, then score the development set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--training", default=ROOT / "data/nlu.yml", type=Path)
    parser.add_argument("--dev", default=ROOT / "tests/nlu/heldout.yml", type=Path)
    parser.add_argument("--no-dev", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--C", type=float, default=float(DEFAULTS["C"]))
    parser.add_argument(
        "--weight", type=float, default=float(DEFAULTS["embedding_weight"])
    )
    parser.add_argument("--word", type=int, nargs=2, default=DEFAULTS["word_ngrams"])
    parser.add_argument("--char", type=int, nargs=2, default=DEFAULTS["char_ngrams"])
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument(
        "--subset",
        type=Path,
        help="also score the cross-validation on the examples of this NLU file",
    )
    args = parser.parse_args()
    if "blind" in str(args.dev):
        parser.error("the blind set is not for error analysis")

    raw, intents = examples(args.training)
    texts = [masked_for_intent(t) for t in raw]
    vectors = embeddings(texts)
    print(f"{len(texts)} training examples, {len(set(intents))} intents")

    predicted = [""] * len(texts)
    piped = [""] * len(texts)
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
    for train_index, test_index in folds.split(texts, intents):
        fold, probabilities, classes = fit_predict(
            [texts[i] for i in train_index],
            vectors[train_index],
            [intents[i] for i in train_index],
            [texts[i] for i in test_index],
            vectors[test_index],
            args,
        )
        for row, (i, label) in enumerate(zip(test_index, fold, strict=True)):
            predicted[i] = label
            piped[i] = with_fallback(raw[i], probabilities[row], classes)
    cv = report(f"{args.folds}-fold CV", raw, intents, predicted, args.errors)
    cv_piped = macro_f1(intents, piped)
    print(f"CV macro-F1 with the fallback and its corrections: {cv_piped:.4f}")

    subset = subset_piped = None
    if args.subset:
        kept = set(examples(args.subset)[0])
        index = [i for i, text in enumerate(raw) if text in kept]
        gold = [intents[i] for i in index]
        subset = macro_f1(gold, [predicted[i] for i in index])
        subset_piped = macro_f1(gold, [piped[i] for i in index])
        print(f"CV macro-F1 on {len(index)} examples of {args.subset}: {subset:.4f}")
        print(f"  with the fallback and its corrections: {subset_piped:.4f}")

    dev = dev_piped = None
    if not args.no_dev:
        dev_raw, dev_gold = examples(args.dev)
        dev_texts = [masked_for_intent(t) for t in dev_raw]
        dev_predicted, probabilities, classes = fit_predict(
            texts, vectors, intents, dev_texts, embeddings(dev_texts), args
        )
        dev = report(str(args.dev), dev_raw, dev_gold, dev_predicted, args.errors)
        dev_after = [
            with_fallback(text, row, classes)
            for text, row in zip(dev_raw, probabilities, strict=True)
        ]
        dev_piped = macro_f1(dev_gold, dev_after)
        print(f"{args.dev} with the fallback and its corrections: {dev_piped:.4f}")
        for g, p, t in zip(dev_gold, dev_after, dev_raw, strict=True):
            if g != p and args.errors:
                print(f"  piped [{g} -> {p}] {t}")

    settings = f"C={args.C} weight={args.weight} word={args.word} char={args.char}"
    print(f"\nRESULT {settings}: cv {cv:.4f} (piped {cv_piped:.4f})", end="")
    if subset is not None and subset_piped is not None:
        print(f"  cv subset {subset:.4f} (piped {subset_piped:.4f})", end="")
    if dev is not None and dev_piped is not None:
        print(f"  dev {dev:.4f} (piped {dev_piped:.4f})", end="")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
