"""Scoring messages with the fitted intent model, without scikit-learn's per-call
overhead.

The model is the one `nlu.blended_intent` trains: TF-IDF vectorizers (a
FeatureUnion) and a multinomial logistic regression over their features and the
weighted sentence embedding. scikit-learn's `transform` and `predict_proba`
re-validate the fitted model at every call: `check_is_fitted` recomputes the idf
vector from its sparse diagonal each time, the n-gram and embedding matrices are
stacked into a new sparse matrix, and the coefficients are copied to multiply
them. Under `make bench` (py-spy), scikit-learn's `transform` and `predict_proba`
took 29 % of the understanding thread's time, the embedding 61 %. Here the idf
vectors, the analyzers and the coefficients (split per feature block, contiguous)
are taken once; the probabilities are the same (tests compare them with
scikit-learn's).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from nlu.embeddings import DIMENSIONS, embed


class _NgramBlock:
    """One fitted TF-IDF vectorizer and its columns of the coefficients."""

    def __init__(self, vectorizer: Any, weights: np.ndarray) -> None:
        self.analyze: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self.sublinear = bool(vectorizer.sublinear_tf)
        if vectorizer.norm not in ("l2", None) or not vectorizer.use_idf:
            raise ValueError("only l2-normalised TF-IDF with idf is supported")
        self.normalised = vectorizer.norm == "l2"
        self.weights = weights  # (features of this block, classes), contiguous

    def tfidf(self, texts: Sequence[str]) -> csr_matrix:
        """The TF-IDF rows of `texts`, as the fitted vectorizer computes them."""
        indices: list[int] = []
        values: list[float] = []
        indptr = [0]
        for text in texts:
            counts = Counter(
                self.vocabulary[token]
                for token in self.analyze(text)
                if token in self.vocabulary
            )
            for column in sorted(counts):
                indices.append(column)
                values.append(counts[column])
            indptr.append(len(indices))
        data = np.asarray(values, dtype=np.float64)
        columns = np.asarray(indices, dtype=np.int64)
        if self.sublinear:
            data = np.log(data) + 1 if data.size else data
        data = data * self.idf[columns]
        if self.normalised and data.size:
            rows = np.repeat(np.arange(len(texts)), np.diff(indptr))
            norms = np.sqrt(np.bincount(rows, weights=data**2, minlength=len(texts)))
            data = data / norms[rows]
        return csr_matrix(
            (data, columns, np.asarray(indptr)),
            shape=(len(texts), len(self.idf)),
        )


class LinearScorer:
    """Intent probabilities of the fitted model (multinomial logistic regression)."""

    def __init__(
        self,
        features: FeatureUnion,
        classifier: LogisticRegression,
        embedding_weight: float,
    ) -> None:
        coefficients = np.asarray(classifier.coef_, dtype=np.float64)
        if len(classifier.classes_) < 3 or classifier.multi_class == "ovr":
            raise ValueError("only a multinomial model over 3 or more intents")
        self.classes: list[str] = list(classifier.classes_)
        self.intercept = np.asarray(classifier.intercept_, dtype=np.float64)
        self.embedding_weight = float(embedding_weight)
        self.blocks: list[_NgramBlock] = []
        start = 0
        for _, vectorizer in features.transformer_list:
            width = len(vectorizer.vocabulary_)
            block = coefficients[:, start : start + width]
            self.blocks.append(_NgramBlock(vectorizer, np.ascontiguousarray(block.T)))
            start += width
        rest = coefficients.shape[1] - start
        if rest != (DIMENSIONS if self.embedding_weight else 0):
            raise ValueError(f"{rest} coefficients left for the embedding")
        self.embedding = np.ascontiguousarray(coefficients[:, start:].T)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row of probabilities per text, in the order of `classes`."""
        decision = np.tile(self.intercept, (len(texts), 1))
        for block in self.blocks:
            decision += block.tfidf(texts) @ block.weights
        if self.embedding_weight:
            vectors = embed(list(texts)).astype(np.float64) * self.embedding_weight
            # einsum's own loop: a BLAS product would wake OpenBLAS's threads, whose
            # spinning doubled the Rasa server's CPU under `make bench`.
            decision += np.einsum("nf,fk->nk", vectors, self.embedding)
        decision -= decision.max(axis=1, keepdims=True)
        exponentials = np.exp(decision)
        return exponentials / exponentials.sum(axis=1, keepdims=True)
