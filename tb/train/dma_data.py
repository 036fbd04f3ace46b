"""The SystemC DMA's data file (tb/systemc/data_layout.h): the reference's training samples
and the indices of every step's batch, in the order the reference draws them
(ref_model.trainer.RunSetup.batches), so the DMA streams exactly what the reference
trains on. Also the beat words and step checksum the SampleMonitor reports, computed here
from the reference for the test to compare."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from ref_model import rtl_twin as T

MAGIC = b"PEZODMA1"
HEADER = struct.Struct("<8s5I")  # magic, features, classes, batch, steps, samples


def image(twin: T.Twin, features: int | None = None, classes: int | None = None,
          batch: int | None = None) -> bytes:
    """The file for `twin`'s run: every step its reference draws. Only to make a file that
    does not fit the design: features and classes go into the header as given, and batch
    regroups the draws into batches of that size."""
    pixels = twin.run.data.train_codes
    labels = twin.run.data.train_labels
    batches = np.asarray(twin.run.batches, dtype=np.uint32)
    if batch is not None:
        batches = batches.reshape(-1)[:batches.size // batch * batch].reshape(-1, batch)
    records = np.concatenate([pixels, labels[:, None]], axis=1).astype(np.uint8)
    header = HEADER.pack(MAGIC, pixels.shape[1] if features is None else features,
                         twin.params["N_OUT"] if classes is None else classes,
                         batches.shape[1], batches.shape[0], records.shape[0])
    return header + records.tobytes() + batches.astype("<u4").tobytes()


def write(path: Path, twin: T.Twin, **header) -> Path:
    Path(path).write_bytes(image(twin, **header))
    return Path(path)


def beat_words(pixels: np.ndarray, label: int) -> list[int]:
    """One sample as the sample port carries it: pixels four to a word (pixel 0 in the low
    byte), then the label in a word of its own."""
    raw = np.zeros(-(-pixels.size // 4) * 4, dtype=np.uint8)
    raw[:pixels.size] = pixels
    return [int(w) for w in raw.view("<u4")] + [int(label)]


def step_checksum(pixels: np.ndarray, labels: np.ndarray) -> int:
    """sum of word_k * (k + 1) mod 2^32 over the step's beat words in order."""
    words = [w for i in range(labels.size) for w in beat_words(pixels[i], int(labels[i]))]
    return sum(w * (k + 1) for k, w in enumerate(words)) % (1 << 32)
