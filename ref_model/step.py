"""One ZO-SGD step (two-sided SPSA / MeZO form), float and fixed point.

For q queries with perturbations z_i (E[z z^T] = I):
    L+_i = L(theta + eps z_i; B_t),   L-_i = L(theta - eps z_i; B_t)
    g_i  = (L+_i - L-_i) / (2 eps)
    theta <- theta - lr * (1/q) * sum_i g_i z_i
Fixed point (eps = 2^ke, lr = 2^kl, q = 2^kq, B = 2^kb; z_int has ZF fraction bits):
    p      = round_shift(z_int, ZF - ke - w_frac)          eps*z in weight LSBs
    th+-   = saturate(theta +- p, w_bits)                   (the same p for both signs)
    S+-    = loss sums (LF fraction bits, ref_model.fixed_model)
    g_int  = saturate(round_shift(S+ - S-, LF + 1 + ke - g_frac), g_bits)
    delta  = round(sum_i g_int_i * z_int_i, g_frac + ZF + kq - kl - w_frac)
             round = round_shift (nearest, ties up) or stochastic_shift
    theta <- saturate(theta - delta, w_bits)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ref_model import fixed_model, float_model
from ref_model.config import FixedFormat, log2_exact
from ref_model.rounding import random_offsets, round_shift, saturate, stochastic_shift


@dataclass(frozen=True)
class FixedShifts:
    """The shift amounts of a fixed-point step, derived once from the configuration."""

    perturb: int   # ZF - ke - w_frac
    g_hat: int     # LF + 1 + ke - g_frac
    update: int    # g_frac + ZF + kq - kl - w_frac
    loss_frac: int


def fixed_shifts(eps: float, lr: float, queries: int, batch: int, z_frac: int,
                 loss: str, fmt: FixedFormat) -> FixedShifts:
    ke, kl = log2_exact(eps, "eps"), log2_exact(lr, "lr")
    kq, kb = log2_exact(queries, "queries"), log2_exact(batch, "batch")
    lf = fixed_model.loss_frac(loss, fmt, kb)
    return FixedShifts(z_frac - ke - fmt.w_frac, lf + 1 + ke - fmt.g_frac,
                       fmt.g_frac + z_frac + kq - kl - fmt.w_frac, lf)


def float_step(theta: torch.Tensor, z: torch.Tensor, x: torch.Tensor, target: torch.Tensor,
               labels: torch.Tensor, eps: float, lr: float, sizes: tuple[int, ...],
               loss: str):
    """Returns (new theta (d,), L+ (q,), L- (q,), g (q,))."""
    q = z.shape[0]
    thetas = torch.cat([theta + eps * z, theta - eps * z])            # perturb
    losses = float_model.loss(float_model.forward(thetas, x, sizes), target, labels, loss)
    g = (losses[:q] - losses[q:]) / (2.0 * eps)                        # projected gradient
    return theta - lr * (g @ z) / q, losses[:q], losses[q:], g         # update


def fixed_step(theta: np.ndarray, z: np.ndarray, x: np.ndarray, labels: np.ndarray,
               sh: FixedShifts, sizes: tuple[int, ...], loss: str, fmt: FixedFormat,
               sr_words: np.ndarray | None = None, sr_bits: int = 16):
    """Returns (new theta (d,) int64, S+ (q,), S- (q,), g_int (q,)).

    sr_words: (d,) unsigned words for stochastic rounding of the update, or None
    for round to nearest.
    """
    q = z.shape[0]
    p = round_shift(z, sh.perturb)                                     # perturb
    thetas = np.concatenate([saturate(theta + p, fmt.w_bits), saturate(theta - p, fmt.w_bits)])
    s = fixed_model.loss_sum(fixed_model.forward(thetas, x, sizes, fmt), labels, loss, fmt)
    g = saturate(round_shift(s[:q] - s[q:], sh.g_hat), fmt.g_bits)     # projected gradient
    acc = g @ z                                                        # update
    if sr_words is None:
        delta = round_shift(acc, sh.update)
    else:
        delta = stochastic_shift(acc, sh.update, random_offsets(sr_words, sr_bits, sh.update))
    return saturate(theta - delta, fmt.w_bits), s[:q], s[q:], g
