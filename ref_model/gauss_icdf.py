"""Piecewise-quadratic inverse-CDF Gaussian: the ROM generator and the bit-exact model
of rtl/pezo_gauss_icdf.v (ROM: rtl/pezo_gauss_icdf_rom.v, written by `main()`).

Input: a U_W-bit uniform word u (16..32), left-aligned to 32 bits with the bit below it
set (x = u << (32-U_W) | 1 << (31-U_W); x = u for U_W = 32, i.e. the centre of u's
interval). Bit 31 is the sign, r = x[30:0] the tail rank:

    q = (2r + 1) / 2^33 in (0, 1/2)            the tail probability, |z| = -invPhi(q)
    e = clz31(r) in 0..31                       octave: q in [2^-(e+2), 2^-(e+1))
    mant = (2r + 1) << e in [2^31, 2^32)        normalised: q = mant / 2^(33+e)
    seg = mant[30:31-S]                         S bits: 2^S equal segments per octave
    t = mant[30-S : 31-S-TB]                    TB-bit position inside the segment
    y = c0 + ((c1 + ((c2 * t) >>> TB)) * t >>> TB)     coefficients with CF fraction bits
    |z| = (y + 2^(CF-FRAC-1)) >> (CF - FRAC), at least 0;  z = sign ? -|z| : |z|

So segments are spaced in powers of two toward the tail (32 octaves reach q = 2^-33,
|z| = 6.33), each split into 2^S uniform pieces, each a quadratic in t. Output: FRAC
fraction bits, FRAC + 4 bits two's complement (|z| < 8).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import ndtr, ndtri

from ref_model import lfsr
from ref_model.errors import ConfigError
from ref_model.generated_file import write_or_check

S = 3          # segments per octave: 2^S
OCTAVES = 32   # e = 0..31
TB = 16        # bits of t
CF = 20        # fraction bits of the coefficients
C0_W, C1_W, C2_W = 24, 18, 14   # signed coefficient widths in the ROM
ADDR_W = 5 + S
ROM_PATH = Path(__file__).resolve().parent.parent / "rtl" / "pezo_gauss_icdf_rom.v"
# DIST 2 of rtl/pezo_numgen.v (interface: ref_model/source_table.py): U_W = K*W, FRAC = W
RTL_FILES = ("rtl/pezo_gauss_icdf_rom.v", "rtl/pezo_gauss_icdf.v")
NORMAL = True


def _segment_q(e: int, seg: int, tau: np.ndarray) -> np.ndarray:
    """q at position tau in [0, 1] of segment (e, seg)."""
    f = 1.0 + (seg + tau) / 2 ** S          # mant / 2^31 in [1, 2]
    return f * 2.0 ** -(e + 2)


@lru_cache(maxsize=1)
def coefficients() -> np.ndarray:
    """(OCTAVES * 2^S, 3) int64 ROM: a least-squares quadratic per segment, quantised.

    The fit is on the centres of the t-steps (t + 1/2) / 2^TB; the rounding at the
    output absorbs the half step. Octave 31 holds only r = 0 (q = 2^-33): a constant.
    """
    rows = []
    tau = (np.arange(0, 1 << TB, 64) + 0.5) / 2 ** TB
    taus_t = np.floor(tau * 2 ** TB) / 2 ** TB
    for e in range(OCTAVES):
        for seg in range(1 << S):
            z = -ndtri(_segment_q(e, seg, tau))
            a2, a1, a0 = np.polyfit(taus_t, z, 2)
            rows.append([round(a0 * 2 ** CF), round(a1 * 2 ** CF), round(a2 * 2 ** CF)])
    rom = np.array(rows, dtype=np.int64)
    for col, width in enumerate((C0_W, C1_W, C2_W)):
        lim = 1 << (width - 1)
        assert rom[:, col].min() >= -lim and rom[:, col].max() < lim, f"coefficient {col} overflows"
    return rom


def check_params(u_w: int, frac: int) -> None:
    """The RTL's elaboration checks, same wording."""
    if not 16 <= u_w <= 32:
        raise ConfigError(f"U_W={u_w} unsupported, need 16..32")
    if not 2 <= frac <= 16:
        raise ConfigError(f"FRAC={frac} unsupported, need 2..16")


def fields(u, u_w: int):
    """(sign, e, seg, t, q) of uniform words u (array of U_W-bit integers)."""
    u = np.asarray(u, dtype=np.uint64).astype(np.int64)
    x = u if u_w == 32 else (u << (32 - u_w)) | (1 << (31 - u_w))
    sign = (x >> 31) & 1
    r = x & ((1 << 31) - 1)
    blen = np.zeros_like(r)
    rr = r.copy()
    for b in (16, 8, 4, 2, 1):
        big = rr >> b > 0
        blen += np.where(big, b, 0)
        rr = np.where(big, rr >> b, rr)
    blen += rr  # rr is 0 or 1 here
    e = 31 - blen
    mant = (2 * r + 1) << e
    seg = (mant >> (31 - S)) & ((1 << S) - 1)
    t = (mant >> (31 - S - TB)) & ((1 << TB) - 1)
    q = (2 * r + 1).astype(np.float64) / 2.0 ** 33
    return sign, e, seg, t, q


def icdf(u, u_w: int, frac: int) -> np.ndarray:
    """Bit-exact pezo_gauss_icdf output (int64, FRAC fraction bits) for words u."""
    check_params(u_w, frac)
    shape = np.shape(u)
    sign, e, seg, t, _ = fields(np.ravel(u), u_w)
    rom = coefficients()
    c0, c1, c2 = (rom[e * (1 << S) + seg, i] for i in range(3))
    h = c1 + ((c2 * t) >> TB)
    y = c0 + ((h * t) >> TB)
    mag = np.maximum((y + (1 << (CF - frac - 1))) >> (CF - frac), 0)
    return np.where(sign == 1, -mag, mag).reshape(shape)


def exact(u, u_w: int) -> np.ndarray:
    """invPhi at the centre of u's interval (float64): what icdf() approximates."""
    sign, _, _, _, q = fields(np.ravel(u), u_w)
    z = -ndtri(q)
    return np.where(sign == 1, -z, z).reshape(np.shape(u))


def error_lsb(u, u_w: int, frac: int) -> np.ndarray:
    """icdf(u) - exact(u) in output LSBs."""
    return icdf(u, u_w, frac) - exact(u, u_w) * 2.0 ** frac


def check(w: int, k: int) -> None:
    """pezo_numgen's check of DIST 2: the word K*W is the generator's U_W."""
    if not 16 <= k * w <= 32:
        raise ConfigError(f"K*W={k * w} unsupported, need 16..32 (DIST=2, ICDF)")


def need_width(w: int, k: int) -> int:
    return w + 4    # |z| < 8


def frac(w: int, k: int) -> int:
    return w


def numbers(words: np.ndarray, w: int, k: int) -> np.ndarray:
    """(n, count * k) W-bit words -> icdf of each K*W-bit word (first word low)."""
    return icdf(lfsr.join_words(words, w, k), k * w, w)


def law(w: int, k: int):
    return ndtr, 1.0, 3.0


def _hex(value: int, width: int) -> str:
    return f"{width}'h{value & ((1 << width) - 1):0{(width + 3) // 4}x}"


def rom_verilog() -> str:
    """The text of rtl/pezo_gauss_icdf_rom.v."""
    rom = coefficients()
    lines = [
        "// SPDX-License-Identifier: Apache-2.0",
        "`default_nettype none",
        "// pezo_gauss_icdf_rom: coefficients of the piecewise-quadratic inverse normal CDF.",
        "//",
        "// GENERATED by `python -m ref_model.gauss_icdf` (ref_model/gauss_icdf.py): do not edit.",
        f"// Address = octave e * {1 << S} + segment; data c0, c1, c2, signed, {CF} fraction bits.",
        "",
        "module pezo_gauss_icdf_rom (",
        f"    input  wire        [{ADDR_W - 1}:0] addr_i,",
        f"    output reg  signed [{C0_W - 1}:0] c0_o,",
        f"    output reg  signed [{C1_W - 1}:0] c1_o,",
        f"    output reg  signed [{C2_W - 1}:0] c2_o",
        ");",
        "",
        "always @* begin",
        "    case (addr_i)",
    ]
    for addr, (c0, c1, c2) in enumerate(rom.tolist()):
        lines.append(f"        {_hex(addr, ADDR_W)}: begin c0_o = {_hex(c0, C0_W)}; "
                     f"c1_o = {_hex(c1, C1_W)}; c2_o = {_hex(c2, C2_W)}; end")
    lines += [
        f"        default: begin c0_o = {_hex(0, C0_W)}; c1_o = {_hex(0, C1_W)}; "
        f"c2_o = {_hex(0, C2_W)}; end",
        "    endcase",
        "end",
        "",
        "endmodule",
        "",
        "`default_nettype wire",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) rtl/pezo_gauss_icdf_rom.v."""
    argv = sys.argv[1:] if argv is None else argv
    return write_or_check(ROM_PATH, rom_verilog(), "ref_model.gauss_icdf", argv,
                          f"{len(coefficients())} entries")


if __name__ == "__main__":
    sys.exit(main())
