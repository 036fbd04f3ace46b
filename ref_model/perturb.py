"""Perturbation vectors z (length d) for every query of every step.

Reuse modes (numbers come from the banks of ref_model.sources):
    fresh  one generator; perturbation k uses its numbers [k*d, (k+1)*d).
    pool   N numbers drawn once (from one generator); perturbation k reads
           z_k[j] = pool[(o_k + j) mod N], o_0 = 0, o_{k+1} = (o_k + d) mod N.
           With refresh R > 0 the pool is refilled with the generator's next N numbers
           before every step t > 0 with t mod R == 0 (the offset carries on).
    array  n generators, one number each per clock; perturbation k takes
           K = ceil(d/n) clocks; at global clock c lane l is fed by generator
           (l + c) mod n (after every clock the generator that fed lane 0 moves to the
           end); z_k[k'*n + l] = number of clock c_k + k' from lane l, for
           k'*n + l < d (surplus lanes of the last clock are dropped); c_{k+1} = c_k + K.
Scaling (the sources `scaled` in ref_model.source_table; ref_model.scaling):
c = 1/sqrt(m2) with m2 the second moment of the realised pool (pool mode with the
adaptive scale, ScaleMode.RUNTIME: recomputed at every refill) or of the numbers' law
(fresh, array, and the fixed forms FIXED, FOLDED in every mode: 1/3 ideal; hardware: the
law of the Dist's model, (1 - 4^-W)/3 for the uniform), replaced by the shift-add
c_hat = M / 2^S, S = -E_MIN; the folded form takes 2^f, the largest power of two dividing
M, out of M and S (M' = M / 2^f, S' = S - f: same c_hat, narrower z_int).
Output: float mode z = c_hat * value (float64); fixed mode z_int = v * M with
ZF = W + S fraction bits (v: the W-fraction-bit integer number; ideal numbers are
first rounded, v = floor(u * 2^W + 1/2)).
"""

from __future__ import annotations

import numpy as np

from ref_model import scaling
from ref_model.config import TrainConfig
from ref_model.source_table import Reuse, ScaleMode, SeedStream, perturbation
from ref_model.sources import HwBank, IdealBank, derived_seeds


class Perturbations:
    """Stateful source: next_step() -> (queries, d) float64 or int64 perturbations."""

    def __init__(self, cfg: TrainConfig, d: int):
        self.cfg, self.d = cfg, d
        self.fixed = cfg.arith == "fixed"
        self.width = cfg.fmt.z_word
        n = cfg.array_size if cfg.reuse == Reuse.ARRAY else 1
        seeds = derived_seeds(cfg.seed, SeedStream.PERTURBATIONS, n)
        if cfg.generator == "hw":
            self.bank = HwBank(cfg.perturb, seeds, cfg.fmt.z_word, cfg.lfsr_state_w)
        else:
            self.bank = IdealBank(cfg.perturb, seeds)
        kind = perturbation(cfg.perturb)
        self.scaled, self.scale_mode = kind.scaled, kind.scale_mode
        self.shift = -scaling.E_MIN if self.scaled else 0
        self.offset, self.clock, self.step_index = 0, 0, 0
        self.pool = None
        self.terms: list[tuple[int, int]] = []
        if cfg.reuse == Reuse.POOL:
            self._fill_pool()
        if self.scaled and not self.adaptive:
            self._set_scale(self._law_second_moment())

    @property
    def adaptive(self) -> bool:
        """The scale follows the realised pool (set at every fill), not the law."""
        return self.cfg.reuse == Reuse.POOL and self.scale_mode.adaptive

    def _law_second_moment(self) -> float:
        """m2 of the numbers' law (the scaled sources are uniform: 1/3 ideal)."""
        kind = perturbation(self.cfg.perturb)
        if self.cfg.generator == "ideal":
            return 1.0 / 3.0
        return kind.dist.model.law(self.width, kind.k)[1]

    @property
    def z_frac(self) -> int:
        """ZF: fraction bits of fixed-point perturbations."""
        return self.width + self.shift

    def _numbers(self, count: int) -> np.ndarray:
        """(n, count) numbers in the output domain: int v (fixed or hw) or float."""
        raw = self.bank.take(count)
        if self.fixed and raw.dtype != np.int64:
            return np.floor(raw * 2.0 ** self.width + 0.5).astype(np.int64)
        return raw

    def _value(self, numbers: np.ndarray) -> np.ndarray:
        """Real value of numbers (for second moments and float mode)."""
        if numbers.dtype == np.int64:
            return numbers.astype(np.float64) / 2.0 ** self.width
        return numbers

    def _set_scale(self, m2: float) -> None:
        self.terms = scaling.shift_add_terms(1.0 / np.sqrt(m2), self.cfg.scale_terms)
        self.multiplier = sum(s << (e - scaling.E_MIN) for s, e in self.terms)
        if self.scale_mode is ScaleMode.FOLDED:
            self.multiplier, fold = scaling.folded(self.multiplier)
            self.shift = -scaling.E_MIN - fold

    def _fill_pool(self) -> None:
        self.pool = self._numbers(self.cfg.pool_size)[0]
        if self.scaled and self.adaptive:
            self._set_scale(scaling.second_moment(self._value(self.pool)))

    def _one(self) -> np.ndarray:
        cfg, d = self.cfg, self.d
        if cfg.reuse == Reuse.FRESH:
            return self._numbers(d)[0]
        if cfg.reuse == Reuse.POOL:
            idx = (self.offset + np.arange(d)) % cfg.pool_size
            self.offset = (self.offset + d) % cfg.pool_size
            return self.pool[idx]
        n = cfg.array_size
        clocks = -(-d // n)
        block = self._numbers(clocks)                      # (n, clocks): generator x clock
        k = np.arange(clocks)[:, None]
        lane = np.arange(n)[None, :]
        gen = (lane + self.clock + k) % n                  # (clocks, n): generator feeding lane
        self.clock += clocks
        return block[gen, np.broadcast_to(k, gen.shape)].reshape(-1)[:d]

    def _finish(self, raw: np.ndarray) -> np.ndarray:
        if self.fixed:
            return raw * self.multiplier if self.scaled else raw
        value = self._value(raw)
        if self.scaled:
            return value * (self.multiplier / 2.0 ** self.shift)
        return value

    def next_step(self) -> np.ndarray:
        """Perturbations of the next step, shape (queries, d)."""
        r = self.cfg.pool_refresh
        if self.cfg.reuse == Reuse.POOL and r and self.step_index and self.step_index % r == 0:
            self._fill_pool()
        self.step_index += 1
        return np.stack([self._finish(self._one()) for _ in range(self.cfg.queries)])

    def describe(self) -> dict:
        """Scale terms and formats, for the JSON output and the trace header."""
        return {"scale_terms": [[s, e] for s, e in self.terms],
                "scale_value": scaling.terms_value(self.terms) if self.terms else 1.0,
                "z_frac": self.z_frac}
