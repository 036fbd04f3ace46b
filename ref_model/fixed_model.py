"""Bit-exact fixed-point forward pass and losses (numpy int64), batched over P vectors.

Formats (FixedFormat; Qi.f = f fraction bits, saturating two's complement):
    x  inputs       IF_0 = x_frac
    W, b            w_frac, w_bits
    acc             exact: sum_i W*h + (b << IF), fraction w_frac + IF (no saturation;
                    |acc| < 2^(w_bits + a_bits + ceil(log2(fan_in + 1))) , checked at setup)
    h  hidden       round_shift(acc, w_frac + IF - a_frac), then ReLU and clamp to
                    [0, 2^(a_bits-1) - 1];  IF of the next layer = a_frac
    y  output       round_shift(acc, ...), clamp to signed a_bits
Losses, as an exact integer S with LF fraction bits (value L = S / 2^LF):
    mse:   e = y - (t << a_frac);  S = sum_b sum_c e^2;            LF = 2*a_frac + log2(B)
    hinge: S = sum_b sum_{c != label} max(0, (1 << a_frac) + y_c - y_label);  LF = a_frac + log2(B)
The 1/B of the mean is the log2(B) in LF: no rounding at all in the loss.
"""

from __future__ import annotations

import numpy as np

from ref_model.config import FixedFormat
from ref_model.layout import layers_of, unpack
from ref_model.rounding import round_shift, saturate, saturate_relu


def accumulator_bits(sizes: tuple[int, ...], fmt: FixedFormat) -> int:
    """Bits that hold any W*h dot product of the widest layer (sign included)."""
    return max(fmt.w_bits + max(fmt.a_bits, fmt.x_frac + 5) + int(np.ceil(np.log2(i + 1)))
               for i in sizes[:-1])


def check_widths(sizes: tuple[int, ...], fmt: FixedFormat) -> None:
    """Assert the int64 accumulators cannot overflow for these formats."""
    bits = accumulator_bits(sizes, fmt)
    assert bits <= 62, f"accumulator needs {bits} bits; int64 model would overflow"


def _dot(h: np.ndarray, w: np.ndarray, exact_in_float: bool) -> np.ndarray:
    """h @ w^T exactly. When every partial sum is an integer below 2^53 float64 BLAS
    computes it without rounding (in any summation order), and is ~6x faster than
    numpy's integer matmul; otherwise int64."""
    if exact_in_float:
        product = np.matmul(h.astype(np.float64), w.transpose(0, 2, 1).astype(np.float64))
        return product.astype(np.int64)
    return np.matmul(h, w.transpose(0, 2, 1))


def forward(theta: np.ndarray, x: np.ndarray, sizes: tuple[int, ...],
            fmt: FixedFormat) -> np.ndarray:
    """Outputs y (P, B, C), a_frac fraction bits, for theta (P, d) int64 and x (B, in) int64."""
    layers = layers_of(sizes)
    exact = accumulator_bits(sizes, fmt) <= 53
    h, in_frac = x, fmt.x_frac
    for k, layer in enumerate(layers):
        w, b = unpack(theta, layer)
        acc = _dot(h, w, exact) + (b << np.int64(in_frac))
        h = round_shift(acc, fmt.w_frac + in_frac - fmt.a_frac)
        h = saturate_relu(h, fmt.a_bits) if k < len(layers) - 1 else saturate(h, fmt.a_bits)
        in_frac = fmt.a_frac
    return h


def loss_frac(kind: str, fmt: FixedFormat, batch_log2: int) -> int:
    """LF: fraction bits of the integer loss S."""
    return (2 * fmt.a_frac if kind == "mse" else fmt.a_frac) + batch_log2


def loss_sum(y: np.ndarray, labels: np.ndarray, kind: str, fmt: FixedFormat) -> np.ndarray:
    """S (P,) int64: the un-normalised loss sum over batch and classes."""
    b = labels.size
    rows = np.arange(b)
    if kind == "mse":
        e = y.copy()
        e[:, rows, labels] -= np.int64(1) << np.int64(fmt.a_frac)
        return (e * e).sum(axis=(1, 2))
    correct = y[:, rows, labels][:, :, None]
    m = np.maximum(0, (np.int64(1) << np.int64(fmt.a_frac)) + y - correct)
    m[:, rows, labels] = 0
    return m.sum(axis=(1, 2))


def accuracy(theta: np.ndarray, x: np.ndarray, labels: np.ndarray,
             sizes: tuple[int, ...], fmt: FixedFormat) -> float:
    """Fraction of rows whose argmax output (lowest index on ties) is the label."""
    y = forward(theta[None, :], x, sizes, fmt)[0]
    return float(np.mean(y.argmax(axis=1) == labels))
