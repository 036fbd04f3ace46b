"""Random-number banks: n generators stepped together, read in blocks.

`take(count)` returns an (n, count) block: row g holds generator g's next `count`
numbers, continuing where the previous call stopped.

- HwBank: n instances of the RTL LFSR (ref_model.lfsr, STATE_W = lfsr_state_w,
  OUT_W = z_word) feeding the perturbation's number generator (ref_model.source_table:
  its Dist's model turns K consecutive W-bit words into one number with W fraction
  bits), e.g. uniform and uniform-scaled: v = 2*s + 1 of the signed word s, value
  v / 2^W in (-1, 1), odd, symmetric, zero mean over a period; gaussian: the sum of 3
  of them (Irwin-Hall: variance 3 * (1 - 4^-W) / 3 ~ 1 without any scaling). uniform01
  has no generator: v = the raw word, value v / 2^W in [0, 1).
  The block is computed with jump-ahead lanes (same words as stepping one clock at
  a time; tests/test_ref_sources.py checks this against lfsr.words).
- IdealBank: n torch.Generators; a Gaussian perturbation = randn, uniform01 = rand,
  the uniform ones = 2*rand - 1, float64, drawn in chunks of 4096 per generator.

Seeds: generator g of stream `tag` (source_table.SeedStream) for run seed s uses
SeedSequence([s, tag]).generate_state(n)[g] (32 bits; an LFSR maps 0 to ZERO_SUBST).
"""

from __future__ import annotations

import numpy as np

from ref_model import lfsr
from ref_model.source_table import SeedStream, perturbation

IDEAL_CHUNK = 4096


def derived_seeds(seed: int, tag: SeedStream, n: int) -> np.ndarray:
    """n 32-bit seeds for stream `tag` of run `seed` (uint64 array)."""
    return np.random.SeedSequence([seed, tag]).generate_state(n).astype(np.uint64)


def gf2_apply(matrix: tuple[int, ...], states: np.ndarray) -> np.ndarray:
    """Vectorised GF(2) matrix times state: bit i of the result = parity(row_i & state)."""
    out = np.zeros_like(states)
    for i, row in enumerate(matrix):
        bit = np.bitwise_count(states & np.uint64(row)).astype(np.uint64) & np.uint64(1)
        out |= bit << np.uint64(i)
    return out


class WordBank:
    """n LFSRs; words(count) -> (n, count) uint64 OUT_W-bit words, stream continues."""

    def __init__(self, cfg: lfsr.LfsrConfig, seeds: np.ndarray, per_lane: int = 64,
                 max_states: int = 1024):
        self.cfg = cfg
        self.state = np.array([lfsr.load_seed(cfg, int(s)) for s in seeds], dtype=np.uint64)
        self.lanes = 1 << max(0, int(np.log2(max(1, max_states // self.state.size))))
        self.per_lane = per_lane
        self.buf = np.zeros((self.state.size, 0), dtype=np.uint64)

    def _lane_starts(self) -> np.ndarray:
        """(n, lanes) start states: lane p is the state after p * per_lane clocks."""
        starts, width = self.state[:, None], 1
        while width < self.lanes:
            jump = lfsr._matrix_power(self.cfg, self.cfg.out_w * self.per_lane * width)
            starts = np.concatenate([starts, gf2_apply(jump, starts)], axis=1)
            width *= 2
        return starts

    def _refill(self) -> None:
        n = self.state.size
        st = self._lane_starts().reshape(-1)
        out = np.empty((st.size, self.per_lane), dtype=np.uint64)
        mask = np.uint64((1 << self.cfg.out_w) - 1)
        for t in range(self.per_lane):
            out[:, t] = st & mask
            st = lfsr._leap(self.cfg, st)
        self.state = st.reshape(n, self.lanes)[:, -1].copy()
        self.buf = np.concatenate([self.buf, out.reshape(n, -1)], axis=1)

    def words(self, count: int) -> np.ndarray:
        while self.buf.shape[1] < count:
            self._refill()
        out, self.buf = self.buf[:, :count], self.buf[:, count:]
        return out


class HwBank:
    """n hardware generators producing integer numbers v (W fraction bits), int64."""

    def __init__(self, perturb: str, seeds: np.ndarray, z_word: int, state_w: int):
        self.kind, self.width = perturbation(perturb), z_word
        self.bank = WordBank(lfsr.LfsrConfig(state_w=state_w, out_w=z_word), seeds)

    def take(self, count: int) -> np.ndarray:
        kind = self.kind
        words = self.bank.words(kind.k * count)
        if kind.dist is None:
            return words.astype(np.int64)
        return kind.dist.model.numbers(words, self.width, kind.k)


class IdealBank:
    """n torch.Generators producing float64 numbers of the chosen distribution."""

    def __init__(self, perturb: str, seeds: np.ndarray):
        import torch  # lazily: the hw path (and the RTL benches) need no torch

        kind = perturbation(perturb)
        self.law = "normal" if kind.gaussian else "uniform01" if kind.dist is None else "uniform"
        self.gens = [torch.Generator().manual_seed(int(s)) for s in seeds]
        self.buf = np.zeros((len(self.gens), 0))

    def _draw(self, gen) -> np.ndarray:
        import torch

        if self.law == "normal":
            return torch.randn(IDEAL_CHUNK, generator=gen, dtype=torch.float64).numpy()
        u = torch.rand(IDEAL_CHUNK, generator=gen, dtype=torch.float64).numpy()
        return u if self.law == "uniform01" else 2.0 * u - 1.0

    def take(self, count: int) -> np.ndarray:
        while self.buf.shape[1] < count:
            block = np.stack([self._draw(g) for g in self.gens])
            self.buf = np.concatenate([self.buf, block], axis=1)
        out, self.buf = self.buf[:, :count], self.buf[:, count:]
        return out
