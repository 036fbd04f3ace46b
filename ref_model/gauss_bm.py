"""Box-Muller Gaussian: the ROM generator and the bit-exact model of rtl/pezo_gauss_bm.v
(ROM: rtl/pezo_gauss_bm_rom.v, written by `main()`).

z = sqrt(-2 ln Q) * cos(2 pi A) from one U_W-bit uniform word u (U_W = 32..48):

    radius word  u1 = u >> 16 (R_W = U_W - 16 = 16..32 bits), split exactly like the
                 inverse-CDF input (gauss_icdf.fields): side = bit 31 of u1 left-aligned to
                 32 bits with the bit below it set, rank rho = (2r + 1) / 2^33 in (0, 1/2),
                 octave e, segment seg, position t. Q = rho (side 0) or 1 - rho (side 1),
                 uniform on (0, 1) either way, so no subtraction is needed.
    radius       R = sqrt(-2 ln Q): one piecewise quadratic per (side, e, seg) in t, log and
                 square root fused in one table (RAD_CF fraction bits), at least 0
    angle word   a = u & 0xffff: quadrant a[15:14], j = a[13:0] folded to the first quarter
                 (jj = ~j in quadrants 1 and 3), position (jj + 1/2) / 2^14 of a quarter turn
    cosine       C = cos(pi/2 * position): one quadratic per 2^COS_S segments of jj
                 (COS_CF fraction bits), clamped to [0, 2^COS_CF]
    number       |z| = (R * C + half) >> (RAD_CF + COS_CF - FRAC); negative in quadrants 1, 2

Output: FRAC fraction bits, FRAC + 4 bits two's complement (|z| <= R < 6.8 < 8), like
gauss_icdf.icdf. Horner steps floor like the RTL's arithmetic shifts.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from ref_model import gauss_icdf, lfsr
from ref_model.errors import ConfigError
from ref_model.generated_file import write_or_check

A_W = 16                    # angle bits: the low bits of the word
QUARTER_W = A_W - 2         # position bits inside a quarter turn
RAD_S, RAD_TB = gauss_icdf.S, gauss_icdf.TB   # the radius word is split like the ICDF's
RAD_CF = 20                 # fraction bits of the radius coefficients and of R
COS_S = 5                   # 2^COS_S cosine segments per quarter turn
COS_TB = QUARTER_W - COS_S  # bits of the position inside a cosine segment
COS_CF = 20                 # fraction bits of the cosine coefficients and of C
RAD_W = (24, 18, 13)        # signed widths of the radius coefficients c0, c1, c2
COS_W = (22, 17, 12)        # signed widths of the cosine coefficients b0, b1, b2
RAD_ADDR_W = 1 + 5 + RAD_S  # side, octave, segment
U_W_MIN, U_W_MAX = 32, 48
ROM_PATH = Path(__file__).resolve().parent.parent / "rtl" / "pezo_gauss_bm_rom.v"
# DIST 3 of rtl/pezo_numgen.v (interface: ref_model/source_table.py): U_W = K*W, FRAC = W
RTL_FILES = ("rtl/pezo_gauss_bm_rom.v", "rtl/pezo_gauss_bm.v")
NORMAL = True


def check_params(u_w: int, frac: int) -> None:
    """pezo_gauss_bm's parameter checks, same wording."""
    if not U_W_MIN <= u_w <= U_W_MAX:
        raise ConfigError(f"U_W={u_w} unsupported, need {U_W_MIN}..{U_W_MAX}")
    if not 2 <= frac <= 16:
        raise ConfigError(f"FRAC={frac} unsupported, need 2..16")


def _radius_at(side: int, e: int, seg: int, tau: np.ndarray) -> np.ndarray:
    """sqrt(-2 ln Q) at position tau in [0, 1) of radius segment (side, e, seg)."""
    rho = (1.0 + (seg + tau) / 2 ** RAD_S) * 2.0 ** -(e + 2)
    return np.sqrt(-2.0 * (np.log(rho) if side == 0 else np.log1p(-rho)))


def _fit(values: np.ndarray, t: np.ndarray, tb: int, cf: int) -> list[int]:
    """Least-squares quadratic in t / 2^tb, quantised to cf fraction bits: [c0, c1, c2]."""
    a2, a1, a0 = np.polyfit(t / 2.0 ** tb, values, 2)
    return [round(a0 * 2 ** cf), round(a1 * 2 ** cf), round(a2 * 2 ** cf)]


def _check_widths(rom: np.ndarray, widths: tuple[int, ...], what: str) -> None:
    for col, width in enumerate(widths):
        lim = 1 << (width - 1)
        assert -lim <= rom[:, col].min() and rom[:, col].max() < lim, f"{what} c{col} overflows"


@lru_cache(maxsize=1)
def radius_coefficients() -> np.ndarray:
    """(2 * 32 * 2^RAD_S, 3) int64: address side * 256 + e * 2^RAD_S + seg. Fitted on the
    centres of a subsample of the t-steps (the rounding at the output absorbs the rest)."""
    t = np.arange(0, 1 << RAD_TB, 64, dtype=np.float64)
    tau = (t + 0.5) / 2 ** RAD_TB
    rows = [_fit(_radius_at(side, e, seg, tau), t, RAD_TB, RAD_CF)
            for side in (0, 1) for e in range(32) for seg in range(1 << RAD_S)]
    rom = np.array(rows, dtype=np.int64)
    _check_widths(rom, RAD_W, "radius")
    return rom


@lru_cache(maxsize=1)
def cosine_coefficients() -> np.ndarray:
    """(2^COS_S, 3) int64: cos(pi/2 * position) per segment, fitted on every position."""
    t = np.arange(1 << COS_TB, dtype=np.float64)
    rows = [_fit(np.cos(np.pi / 2 * ((seg << COS_TB) + t + 0.5) / 2 ** QUARTER_W), t,
                 COS_TB, COS_CF) for seg in range(1 << COS_S)]
    rom = np.array(rows, dtype=np.int64)
    _check_widths(rom, COS_W, "cosine")
    return rom


def _horner(coef: np.ndarray, t: np.ndarray, tb: int) -> np.ndarray:
    """c0 + ((c1 + ((c2 * t) >> tb)) * t >> tb), floor shifts (the RTL's >>>)."""
    c0, c1, c2 = coef[:, 0], coef[:, 1], coef[:, 2]
    return c0 + (((c1 + ((c2 * t) >> tb)) * t) >> tb)


def radius(u1, r_w: int) -> np.ndarray:
    """R with RAD_CF fraction bits (int64, >= 0) of R_W-bit radius words u1."""
    side, e, seg, t, _ = gauss_icdf.fields(u1, r_w)
    addr = (side << (5 + RAD_S)) | (e << RAD_S) | seg
    return np.maximum(_horner(radius_coefficients()[addr], t, RAD_TB), 0)


def angle_fields(a) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(negative, cosine segment, position t) of A_W-bit angle words a."""
    a = np.asarray(a, dtype=np.int64)
    quadrant = a >> QUARTER_W
    j = a & ((1 << QUARTER_W) - 1)
    jj = np.where(quadrant & 1 == 1, ((1 << QUARTER_W) - 1) - j, j)
    negative = (quadrant == 1) | (quadrant == 2)
    return negative, jj >> COS_TB, jj & ((1 << COS_TB) - 1)


def cosine(a) -> tuple[np.ndarray, np.ndarray]:
    """(negative, |cos| with COS_CF fraction bits in [0, 2^COS_CF]) of angle words a."""
    negative, seg, t = angle_fields(a)
    c = _horner(cosine_coefficients()[seg], t, COS_TB)
    return negative, np.clip(c, 0, 1 << COS_CF)


def split(u) -> tuple[np.ndarray, np.ndarray]:
    """(radius words, angle words) of words u: the bits above A_W, the low A_W bits."""
    u = np.asarray(u, dtype=np.uint64).astype(np.int64)
    return u >> A_W, u & ((1 << A_W) - 1)


def box_muller(u, u_w: int, frac: int) -> np.ndarray:
    """Bit-exact pezo_gauss_bm output (int64, FRAC fraction bits) for words u."""
    check_params(u_w, frac)
    shape = np.shape(u)
    u1, a = split(np.ravel(u))
    negative, c = cosine(a)
    sh = RAD_CF + COS_CF - frac
    mag = (radius(u1, u_w - A_W) * c + (1 << (sh - 1))) >> sh
    return np.where(negative, -mag, mag).reshape(shape)


def exact(u, u_w: int) -> np.ndarray:
    """sqrt(-2 ln Q) cos(2 pi A) at the centres of u's intervals (float64)."""
    u1, a = split(np.ravel(u))
    side, _, _, _, rho = gauss_icdf.fields(u1, u_w - A_W)
    log_q = np.where(side == 1, np.log1p(-rho), np.log(rho))
    theta = 2 * np.pi * (a + 0.5) / 2.0 ** A_W
    return (np.sqrt(-2.0 * log_q) * np.cos(theta)).reshape(np.shape(u))


def error_lsb(u, u_w: int, frac: int) -> np.ndarray:
    """box_muller(u) - exact(u) in output LSBs."""
    return box_muller(u, u_w, frac) - exact(u, u_w) * 2.0 ** frac


def check(w: int, k: int) -> None:
    """pezo_numgen's check of DIST 3: the word K*W is the generator's U_W."""
    if not U_W_MIN <= k * w <= U_W_MAX:
        raise ConfigError(f"K*W={k * w} unsupported, need {U_W_MIN}..{U_W_MAX} "
                          "(DIST=3, Box-Muller)")


def numbers(words: np.ndarray, w: int, k: int) -> np.ndarray:
    """(n, count * k) W-bit words -> box_muller of each K*W-bit word (first word low)."""
    return box_muller(lfsr.join_words(words, w, k), k * w, w)


# the inverse CDF's number format and law: W fraction bits in W+4 bits (|z| < 8), N(0, 1)
need_width, frac, law = gauss_icdf.need_width, gauss_icdf.frac, gauss_icdf.law


def _hex(value: int, width: int) -> str:
    return f"{width}'h{value & ((1 << width) - 1):0{(width + 3) // 4}x}"


def _case(name: str, addr_w: int, rom: np.ndarray, widths: tuple[int, ...]) -> list[str]:
    """One combinational case statement: address name_addr_i -> name_c0_o .. name_c2_o."""
    def row(label: str, values) -> str:
        outs = " ".join(f"{name}_c{i}_o = {_hex(int(v), w)};"
                        for i, (v, w) in enumerate(zip(values, widths, strict=True)))
        return f"        {label}: begin {outs} end"
    rows = [row(_hex(addr, addr_w), values) for addr, values in enumerate(rom.tolist())]
    if len(rows) < 1 << addr_w:
        rows.append(row("default", (0, 0, 0)))
    return ["always @* begin", f"    case ({name}_addr_i)", *rows, "    endcase", "end", ""]


def _ports(name: str, addr_w: int, widths: tuple[int, ...]) -> list[str]:
    return [f"    input  wire        [{addr_w - 1}:0] {name}_addr_i,",
            *(f"    output reg  signed [{w - 1}:0] {name}_c{i}_o," for i, w in enumerate(widths))]


def rom_verilog() -> str:
    """The text of rtl/pezo_gauss_bm_rom.v."""
    ports = _ports("rad", RAD_ADDR_W, RAD_W) + _ports("cos", COS_S, COS_W)
    ports[-1] = ports[-1].rstrip(",")
    return "\n".join([
        "// SPDX-License-Identifier: Apache-2.0",
        "`default_nettype none",
        "// pezo_gauss_bm_rom: coefficients of the Box-Muller radius sqrt(-2 ln Q) and of cos.",
        "//",
        "// GENERATED by `python -m ref_model.gauss_bm` (ref_model/gauss_bm.py): do not edit.",
        f"// Radius: address side * 256 + octave * {1 << RAD_S} + segment, {RAD_CF} fraction "
        f"bits; cosine: address segment of a quarter turn, {COS_CF} fraction bits.",
        "",
        "module pezo_gauss_bm_rom (",
        *ports,
        ");",
        "",
        *_case("rad", RAD_ADDR_W, radius_coefficients(), RAD_W),
        *_case("cos", COS_S, cosine_coefficients(), COS_W),
        "endmodule",
        "",
        "`default_nettype wire",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) rtl/pezo_gauss_bm_rom.v."""
    argv = sys.argv[1:] if argv is None else argv
    return write_or_check(ROM_PATH, rom_verilog(), "ref_model.gauss_bm", argv)


if __name__ == "__main__":
    sys.exit(main())
