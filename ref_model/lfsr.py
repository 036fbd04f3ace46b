"""Bit-exact model of rtl/pezo_lfsr.v: a leap-forward Fibonacci LFSR.

One bit step (the hardware does OUT_W of them per clock):

    fb    = parity(state & TAPS)
    state = (state >> 1) | (fb << (STATE_W - 1))

The output bit of a step is state[0], so the m-sequence a_t satisfies
a_{t+STATE_W} = XOR_{i in TAPS} a_{t+i}: TAPS bit i is the coefficient of x^i in
the characteristic polynomial x^STATE_W + sum(x^i). The word emitted in a clock
is state[OUT_W-1:0] *before* the leap, i.e. the next OUT_W sequence bits with
the oldest in bit 0. A zero state (a zero seed, or an upset) is replaced by
ZERO_SUBST, so the generator can never lock up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from ref_model.errors import ConfigError

# Maximal-length taps (characteristic polynomial bits, constant term = bit 0),
# from the primitive trinomials/pentanomials of Xilinx XAPP052.
MAXIMAL_TAPS = {
    8: (1 << 6) | (1 << 5) | (1 << 4) | 1,
    12: (1 << 6) | (1 << 4) | (1 << 1) | 1,
    16: (1 << 15) | (1 << 13) | (1 << 4) | 1,
    24: (1 << 23) | (1 << 22) | (1 << 17) | 1,
    32: (1 << 22) | (1 << 2) | (1 << 1) | 1,
    48: (1 << 47) | (1 << 21) | (1 << 20) | 1,
    64: (1 << 63) | (1 << 61) | (1 << 60) | 1,
}


@dataclass(frozen=True)
class LfsrConfig:
    """Parameters of one pezo_lfsr instance (same names as the Verilog)."""

    state_w: int = 32
    out_w: int = 16
    taps: int | None = None  # None: the table entry for state_w
    zero_subst: int = 1

    def __post_init__(self) -> None:
        if self.taps is None:
            if self.state_w not in MAXIMAL_TAPS:
                raise ConfigError(
                    f"STATE_W={self.state_w} has no built-in taps; "
                    f"choose one of {sorted(MAXIMAL_TAPS)} or give taps")
            object.__setattr__(self, "taps", MAXIMAL_TAPS[self.state_w])
        validate(self)

    @property
    def mask(self) -> int:
        return (1 << self.state_w) - 1

    def verilog_parameters(self) -> dict[str, int]:
        return {"STATE_W": self.state_w, "OUT_W": self.out_w,
                "TAPS": self.taps, "ZERO_SUBST": self.zero_subst}


def validate(cfg: LfsrConfig) -> None:
    """Reject what the RTL's elaboration checks reject, with the same reason."""
    if not 2 <= cfg.state_w <= 64:
        raise ConfigError(f"STATE_W={cfg.state_w} unsupported, need 2..64")
    # a word wider than the state would repeat linear combinations of it
    if not 1 <= cfg.out_w <= cfg.state_w:
        raise ConfigError(f"OUT_W={cfg.out_w} unsupported, need 1..{cfg.state_w} "
                          "(OUT_W <= STATE_W)")
    if not cfg.taps & 1:
        raise ConfigError(f"TAPS=0x{cfg.taps:x} unsupported, need bit 0 set (the constant term)")
    if cfg.taps > cfg.mask:
        raise ConfigError(f"TAPS=0x{cfg.taps:x} unsupported, need < 2^{cfg.state_w} "
                          "(no bit above STATE_W-1)")
    if not 0 < cfg.zero_subst <= cfg.mask:
        raise ConfigError(f"ZERO_SUBST=0x{cfg.zero_subst:x} unsupported, need 0x1..0x{cfg.mask:x} "
                          "(non-zero, STATE_W bits)")
    known = MAXIMAL_TAPS.get(cfg.state_w) == cfg.taps  # checked by tests/test_lfsr_model.py
    if not known and not is_maximal(cfg.state_w, cfg.taps):
        raise ConfigError(
            f"TAPS=0x{cfg.taps:x} is not maximal-length for STATE_W={cfg.state_w}: "
            "the period would be shorter than 2^STATE_W - 1")


def load_seed(cfg: LfsrConfig, seed: int) -> int:
    """State after a seed load: the low STATE_W bits, zero replaced."""
    state = int(seed) & cfg.mask
    return state if state else cfg.zero_subst


def words(cfg: LfsrConfig, seeds, count: int) -> np.ndarray:
    """Words of K generators stepped together: shape (K, count), dtype uint64.

    This is the RNG-array case (K independent instances, one word each per clock).
    """
    state = np.array([load_seed(cfg, s) for s in np.atleast_1d(seeds)], dtype=np.uint64)
    out = np.empty((state.size, count), dtype=np.uint64)
    for t in range(count):
        out[:, t] = state & np.uint64((1 << cfg.out_w) - 1)
        state = _leap(cfg, state)
    return out


def stream(cfg: LfsrConfig, seed: int, count: int) -> np.ndarray:
    """The first `count` words of one generator, fast (1-D, uint64).

    Splits the stream into lanes whose start states are found by jump-ahead,
    then steps all lanes at once.
    """
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    lanes = int(min(1024, max(1, count // 64)))
    per_lane = -(-count // lanes)
    jump = _matrix_power(cfg, cfg.out_w * per_lane)
    starts, state = [], load_seed(cfg, seed)
    for _ in range(lanes):
        starts.append(state)
        state = _apply(jump, state)
    lane_words = words(cfg, np.array(starts, dtype=np.uint64), per_lane)
    return lane_words.reshape(-1)[:count]


def state_after(cfg: LfsrConfig, seed: int, clocks: int) -> int:
    """State after `clocks` enabled clocks from a seed load (jump-ahead)."""
    return _apply(_matrix_power(cfg, cfg.out_w * clocks), load_seed(cfg, seed))


def join_words(words: np.ndarray, width: int, k: int) -> np.ndarray:
    """(n, count * k) WIDTH-bit words -> (n, count) K*WIDTH-bit words: k consecutive words
    side by side, the first in the low bits (what one K*WIDTH-bit leap emits)."""
    parts = np.asarray(words, dtype=np.uint64).reshape(np.shape(words)[0], -1, k)
    shifts = np.uint64(width) * np.arange(k, dtype=np.uint64)
    return np.bitwise_or.reduce(parts << shifts, axis=2)


def to_signed(values: np.ndarray, width: int) -> np.ndarray:
    """Reinterpret unsigned `width`-bit words as two's complement (int64)."""
    v = np.asarray(values).astype(np.int64)
    return np.where(v >= (1 << (width - 1)), v - (1 << width), v)


def _leap(cfg: LfsrConfig, state: np.ndarray) -> np.ndarray:
    """OUT_W bit steps on an array of states (zero states replaced first)."""
    state = np.where(state == 0, np.uint64(cfg.zero_subst), state)
    taps, top = np.uint64(cfg.taps), np.uint64(cfg.state_w - 1)
    for _ in range(cfg.out_w):
        fb = np.bitwise_count(state & taps).astype(np.uint64) & np.uint64(1)
        state = (state >> np.uint64(1)) | (fb << top)
    return state


# --- GF(2) linear algebra: a matrix is a tuple of row masks (row i -> new bit i).

def _step_matrix(cfg: LfsrConfig) -> tuple[int, ...]:
    rows = [1 << (i + 1) for i in range(cfg.state_w - 1)]
    return tuple(rows + [cfg.taps])


def _apply(matrix: tuple[int, ...], state: int) -> int:
    return sum(((row & state).bit_count() & 1) << i for i, row in enumerate(matrix))


def _multiply(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """(a @ b): row i of the product is the XOR of b's rows picked by a's row i."""
    out = []
    for row in a:
        acc, j = 0, 0
        while row:
            if row & 1:
                acc ^= b[j]
            row >>= 1
            j += 1
        out.append(acc)
    return tuple(out)


@lru_cache(maxsize=64)
def _matrix_power(cfg: LfsrConfig, steps: int) -> tuple[int, ...]:
    result = tuple(1 << i for i in range(cfg.state_w))
    base = _step_matrix(cfg)
    while steps:
        if steps & 1:
            result = _multiply(base, result)
        base = _multiply(base, base)
        steps >>= 1
    return result


# --- maximality: x must have order exactly 2^n - 1 modulo the polynomial.

def _polymulmod(a: int, b: int, poly: int, n: int) -> int:
    acc = 0
    while b:
        if b & 1:
            acc ^= a
        b >>= 1
        a <<= 1
        if a >> n & 1:
            a ^= poly
    return acc


def _polypow(exp: int, poly: int, n: int) -> int:
    result, base = 1, 2  # the polynomial "x"
    while exp:
        if exp & 1:
            result = _polymulmod(result, base, poly, n)
        base = _polymulmod(base, base, poly, n)
        exp >>= 1
    return result


@cache
def is_maximal(state_w: int, taps: int) -> bool:
    """True when x^state_w + sum(taps) is primitive (period 2^state_w - 1)."""
    from sympy import factorint

    poly = (1 << state_w) | taps
    order = (1 << state_w) - 1
    if _polypow(order, poly, state_w) != 1:
        return False
    return all(_polypow(order // p, poly, state_w) != 1 for p in factorint(order))
