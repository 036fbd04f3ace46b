"""Every limit of every RTL parameter check: the last legal value and the first illegal one.

One row per limit. `legal` and `illegal` are parameter overrides of the module's defaults;
`message` is what the check prints for `illegal` after "<module>: " (docs/architecture.md,
"RTL conventions"), and the Python configuration class raises it word for word.
tests/test_param_limits.py runs the rows; docs/architecture.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ref_model.lfsr import MAXIMAL_TAPS

TAPS_32 = MAXIMAL_TAPS[32]


@dataclass(frozen=True)
class Limit:
    top: str                 # the module whose check this is
    check: str               # its generate block: gen_param_error_<check>
    side: str                # which limit: min, max, ...
    legal: dict[str, int]
    illegal: dict[str, int]
    message: str             # printed for `illegal`, after "<top>: "
    base: dict[str, int] = field(default_factory=dict)  # overrides both sides share

    @property
    def id(self) -> str:
        return f"{self.top.removeprefix('pezo_')}.{self.check}.{self.side}"

    @property
    def legal_params(self) -> dict[str, int]:
        return {**self.base, **self.legal}

    @property
    def illegal_params(self) -> dict[str, int]:
        return {**self.base, **self.illegal}


def _rows(top: str, *rows: tuple) -> list[Limit]:
    return [Limit(top, *row) for row in rows]


LFSR = _rows(
    "pezo_lfsr",
    ("state_w", "min", {"STATE_W": 2, "OUT_W": 1, "TAPS": 3}, {"STATE_W": 1, "OUT_W": 1, "TAPS": 1},
     "STATE_W=1 unsupported, need 2..64"),
    ("state_w", "max", {"STATE_W": 64}, {"STATE_W": 65}, "STATE_W=65 unsupported, need 2..64",
     {"TAPS": MAXIMAL_TAPS[64]}),
    ("out_w", "min", {"OUT_W": 1}, {"OUT_W": 0},
     "OUT_W=0 unsupported, need 1..32 (OUT_W <= STATE_W)"),
    ("out_w", "max", {"OUT_W": 32}, {"OUT_W": 33},
     "OUT_W=33 unsupported, need 1..32 (OUT_W <= STATE_W)"),
    ("taps_constant", "bit0", {"TAPS": TAPS_32}, {"TAPS": TAPS_32 & ~1},
     f"TAPS=0x{TAPS_32 & ~1:x} unsupported, need bit 0 set (the constant term)"),
    ("taps_width", "max", {"TAPS": MAXIMAL_TAPS[16]}, {"TAPS": MAXIMAL_TAPS[16] | 1 << 16},
     f"TAPS=0x{MAXIMAL_TAPS[16] | 1 << 16:x} unsupported, need < 2^16 (no bit above STATE_W-1)",
     {"STATE_W": 16, "OUT_W": 8}),
    ("zero_subst", "min", {"ZERO_SUBST": 1}, {"ZERO_SUBST": 0},
     "ZERO_SUBST=0x0 unsupported, need 0x1..0xffffffff (non-zero, STATE_W bits)"),
    ("zero_subst", "max", {"ZERO_SUBST": 2**32 - 1}, {"ZERO_SUBST": 2**32},
     "ZERO_SUBST=0x100000000 unsupported, need 0x1..0xffffffff (non-zero, STATE_W bits)"),
)

NUMGEN = _rows(
    "pezo_numgen",
    ("dist", "min", {"DIST": 0}, {"DIST": -1}, "DIST=-1 unsupported, need 0..3"),
    ("dist", "max", {"DIST": 3}, {"DIST": 4}, "DIST=4 unsupported, need 0..3",
     {"K": 4, "NUM_W": 12}),
    ("w", "min", {"W": 2, "NUM_W": 3}, {"W": 1, "NUM_W": 2}, "W=1 unsupported, need 2..16"),
    ("w", "max", {"W": 16, "NUM_W": 17}, {"W": 17, "NUM_W": 18}, "W=17 unsupported, need 2..16"),
    ("k", "min", {"K": 1}, {"K": 0}, "K=0 unsupported, need 1..4 (K*W <= STATE_W)",
     {"DIST": 1, "NUM_W": 11}),
    ("k", "max", {"K": 4}, {"K": 5}, "K=5 unsupported, need 1..4 (K*W <= STATE_W)",
     {"DIST": 1, "NUM_W": 12}),
    ("k_uniform", "one", {"K": 1}, {"K": 2}, "K=2 unsupported, need 1 (DIST=0, uniform)",
     {"DIST": 0, "NUM_W": 10}),
    ("k_icdf", "min", {"W": 8, "K": 2, "NUM_W": 12}, {"W": 5, "K": 3, "NUM_W": 9},
     "K*W=15 unsupported, need 16..32 (DIST=2, ICDF)", {"DIST": 2}),
    ("k_icdf", "max", {"W": 16, "K": 2, "NUM_W": 20}, {"W": 11, "K": 3, "NUM_W": 15},
     "K*W=33 unsupported, need 16..32 (DIST=2, ICDF)", {"DIST": 2, "STATE_W": 48}),
    # K*W = 31 has no legal W (31 is prime): 30 is the first illegal word below 32
    ("k_bm", "min", {"W": 16, "K": 2, "NUM_W": 20}, {"W": 15, "K": 2, "NUM_W": 19},
     "K*W=30 unsupported, need 32..48 (DIST=3, Box-Muller)", {"DIST": 3}),
    ("k_bm", "max", {"W": 16, "K": 3, "NUM_W": 20}, {"W": 7, "K": 7, "NUM_W": 11},
     "K*W=49 unsupported, need 32..48 (DIST=3, Box-Muller)",
     {"DIST": 3, "STATE_W": 64, "TAPS": MAXIMAL_TAPS[64]}),
    ("num_w", "min", {"NUM_W": 11}, {"NUM_W": 10}, "NUM_W=10 unsupported, need 11..32",
     {"DIST": 1, "K": 3}),
    ("num_w", "min_icdf", {"NUM_W": 12}, {"NUM_W": 11}, "NUM_W=11 unsupported, need 12..32",
     {"DIST": 2, "K": 2}),
    ("num_w", "min_bm", {"NUM_W": 12}, {"NUM_W": 11}, "NUM_W=11 unsupported, need 12..32",
     {"DIST": 3, "K": 4}),
    ("num_w", "max", {"NUM_W": 32}, {"NUM_W": 33}, "NUM_W=33 unsupported, need 9..32"),
)

ARRAY = _rows(
    "pezo_rng_array",
    ("lanes", "min", {"LANES": 1}, {"LANES": 0}, "LANES=0 unsupported, need 1..64"),
    ("lanes", "max", {"LANES": 64}, {"LANES": 65}, "LANES=65 unsupported, need 1..64"),
    ("d_w", "min", {"D_W": 1}, {"D_W": 0}, "D_W=0 unsupported, need 1..30", {"LANES": 1}),
    ("d_w", "max", {"D_W": 30}, {"D_W": 31}, "D_W=31 unsupported, need 1..30"),
    ("lanes_d_w", "d_w_1", {"LANES": 1}, {"LANES": 2},
     "LANES=2 unsupported, need <= 1 (LANES < 2^D_W)", {"D_W": 1}),
    ("lanes_d_w", "d_w_2", {"LANES": 3}, {"LANES": 4},
     "LANES=4 unsupported, need <= 3 (LANES < 2^D_W)", {"D_W": 2}),
    ("idx_w", "lanes_1", {"IDX_W": 1}, {"IDX_W": 2},
     "IDX_W=2 unsupported, need 1 (derived from LANES: do not override)", {"LANES": 1}),
    ("idx_w", "above", {"IDX_W": 3}, {"IDX_W": 4},
     "IDX_W=4 unsupported, need 3 (derived from LANES: do not override)", {"LANES": 5}),
    ("idx_w", "below", {"IDX_W": 3}, {"IDX_W": 2},
     "IDX_W=2 unsupported, need 3 (derived from LANES: do not override)", {"LANES": 5}),
)

POOL = _rows(
    "pezo_pool",
    ("lanes", "min", {"LANES": 1}, {"LANES": 0}, "LANES=0 unsupported, need >= 1"),
    ("pool_n", "min", {"POOL_N": 2}, {"POOL_N": 1}, "POOL_N=1 unsupported, need >= 2",
     {"LANES": 1, "ADDR_W": 1}),
    ("pool_n_multiple", "above", {"POOL_N": 64}, {"POOL_N": 65},
     "POOL_N=65 unsupported, need a multiple of LANES=4", {"ADDR_W": 7}),
    ("addr_w", "min", {"ADDR_W": 6}, {"ADDR_W": 5},
     "ADDR_W=5 unsupported, need 6..24 (2^ADDR_W >= POOL_N)"),
    ("addr_w", "max", {"ADDR_W": 24}, {"ADDR_W": 25},
     "ADDR_W=25 unsupported, need 6..24 (2^ADDR_W >= POOL_N)"),
    ("num_w", "min", {"NUM_W": 3}, {"NUM_W": 2}, "NUM_W=2 unsupported, need 3..17"),
    ("num_w", "max", {"NUM_W": 17}, {"NUM_W": 18}, "NUM_W=18 unsupported, need 3..17"),
    ("num_w_state_w", "max", {"NUM_W": 13}, {"NUM_W": 14},
     "NUM_W=14 unsupported, need <= 13 (NUM_W-1 <= STATE_W)", {"STATE_W": 12, "TAPS": 0x829}),
    ("d_w", "min", {"D_W": 2}, {"D_W": 1}, "D_W=1 unsupported, need 2..30"),
    ("d_w", "max", {"D_W": 30}, {"D_W": 31}, "D_W=31 unsupported, need 2..30"),
    ("r_w", "min", {"R_W": 1}, {"R_W": 0}, "R_W=0 unsupported, need 1..30"),
    ("r_w", "max", {"R_W": 30}, {"R_W": 31}, "R_W=31 unsupported, need 1..30"),
)

SCALE_OUT = "(NUM_W + SHIFT_MAX + clog2(TERMS+1))"
SCALE_FIXED_OUT = "(NUM_W + clog2(SCALE_M >> FOLD))"
SCALE = _rows(
    "pezo_scale",
    ("lanes", "min", {"LANES": 1}, {"LANES": 0}, "LANES=0 unsupported, need >= 1"),
    ("num_w", "min", {"NUM_W": 2}, {"NUM_W": 1}, "NUM_W=1 unsupported, need 2..32", {"OUT_W": 20}),
    ("num_w", "max", {"NUM_W": 32}, {"NUM_W": 33}, "NUM_W=33 unsupported, need 2..32",
     {"OUT_W": 51}),
    ("terms", "min", {"TERMS": 1}, {"TERMS": 0}, "TERMS=0 unsupported, need 1..8", {"OUT_W": 26}),
    ("terms", "max", {"TERMS": 8}, {"TERMS": 9}, "TERMS=9 unsupported, need 1..8", {"OUT_W": 29}),
    ("shift_max", "min", {"SHIFT_MAX": 1}, {"SHIFT_MAX": 0}, "SHIFT_MAX=0 unsupported, need 1..31",
     {"OUT_W": 12}),
    ("shift_max", "max", {"SHIFT_MAX": 31}, {"SHIFT_MAX": 32},
     "SHIFT_MAX=32 unsupported, need 1..31", {"OUT_W": 43}),
    ("out_w", "min", {"OUT_W": 27}, {"OUT_W": 26},
     f"OUT_W=26 unsupported, need 27..64 {SCALE_OUT}"),
    ("out_w", "max", {"OUT_W": 64}, {"OUT_W": 65},
     f"OUT_W=65 unsupported, need 27..64 {SCALE_OUT}"),
    ("scale_mode", "min", {"SCALE_MODE": 0}, {"SCALE_MODE": -1},
     "SCALE_MODE=-1 unsupported, need 0..2"),
    ("scale_mode", "max", {"SCALE_MODE": 2}, {"SCALE_MODE": 3},
     "SCALE_MODE=3 unsupported, need 0..2", {"OUT_W": 28}),
    ("scale_m", "min", {"SCALE_M": 1}, {"SCALE_M": 0},
     "SCALE_M=0 unsupported, need >= 1 (SCALE_MODE 1, 2)", {"SCALE_MODE": 1}),
    # folded: SCALE_M = 7104 = 111 * 2^6, v * 111 needs NUM_W + 7 bits
    ("fixed_out_w", "min", {"OUT_W": 16}, {"OUT_W": 15},
     f"OUT_W=15 unsupported, need 16..64 {SCALE_FIXED_OUT}", {"SCALE_MODE": 2}),
    ("fixed_out_w", "max", {"OUT_W": 64}, {"OUT_W": 65},
     f"OUT_W=65 unsupported, need 22..64 {SCALE_FIXED_OUT}", {"SCALE_MODE": 1}),
)

GAUSS_ICDF = _rows(
    "pezo_gauss_icdf",
    ("u_w", "min", {"U_W": 16}, {"U_W": 15}, "U_W=15 unsupported, need 16..32"),
    ("u_w", "max", {"U_W": 32}, {"U_W": 33}, "U_W=33 unsupported, need 16..32"),
    ("frac", "min", {"FRAC": 2}, {"FRAC": 1}, "FRAC=1 unsupported, need 2..16"),
    ("frac", "max", {"FRAC": 16}, {"FRAC": 17}, "FRAC=17 unsupported, need 2..16"),
)

GAUSS_BM = _rows(
    "pezo_gauss_bm",
    ("u_w", "min", {"U_W": 32}, {"U_W": 31}, "U_W=31 unsupported, need 32..48"),
    ("u_w", "max", {"U_W": 48}, {"U_W": 49}, "U_W=49 unsupported, need 32..48"),
    ("frac", "min", {"FRAC": 2}, {"FRAC": 1}, "FRAC=1 unsupported, need 2..16"),
    ("frac", "max", {"FRAC": 16}, {"FRAC": 17}, "FRAC=17 unsupported, need 2..16"),
)

LANES_RULE = "unsupported, need a power of two dividing N_IN=64 and N_HID=16"
TRAIN_TOP = _rows(
    "pezo_train_top",
    ("source", "min", {"SOURCE": 0}, {"SOURCE": -1}, "SOURCE=-1 unsupported, need 0..2"),
    ("source", "max", {"SOURCE": 2}, {"SOURCE": 3}, "SOURCE=3 unsupported, need 0..2",
     {"DIST": 0, "K": 1}),
)


def _layer_rows(top: str) -> list[Limit]:
    return _rows(
        top,
        ("lanes", "min", {"LANES": 1}, {"LANES": 0}, f"LANES=0 {LANES_RULE}"),
        ("lanes", "power_of_two", {"LANES": 2}, {"LANES": 3}, f"LANES=3 {LANES_RULE}"),
        ("lanes", "divides", {"LANES": 16}, {"LANES": 32}, f"LANES=32 {LANES_RULE}"),
        # (N_IN, N_HID below LANES and not 0 already break the LANES rule)
        ("n_in", "min", {"N_IN": 4}, {"N_IN": 0}, "N_IN=0 unsupported, need >= 4 (N_IN >= LANES)"),
        ("n_hid", "min", {"N_HID": 4}, {"N_HID": 0},
         "N_HID=0 unsupported, need >= 4 (N_HID >= LANES)"),
        ("n_hid2", "min", {"N_HID2": 0}, {"N_HID2": -4},
         "N_HID2=-4 unsupported, need 0 or a multiple of 4 (LANES)"),
        ("n_hid2", "multiple", {"N_HID2": 4}, {"N_HID2": 6},
         "N_HID2=6 unsupported, need 0 or a multiple of 4 (LANES)"),
        ("loss", "min", {"LOSS": 0}, {"LOSS": -1},
         "LOSS=-1 unsupported, need 0..1 (0 MSE, 1 hinge)"),
        ("loss", "max", {"LOSS": 1}, {"LOSS": 2}, "LOSS=2 unsupported, need 0..1 (0 MSE, 1 hinge)"),
    )


TRAIN_ENGINE = _layer_rows("pezo_train_engine") + _rows(
    "pezo_train_engine",
    ("max_batch", "min", {"MAX_BATCH": 2}, {"MAX_BATCH": 1},
     "MAX_BATCH=1 unsupported, need a power of two in 2..1024"),
    ("max_batch", "max", {"MAX_BATCH": 1024}, {"MAX_BATCH": 2048},
     "MAX_BATCH=2048 unsupported, need a power of two in 2..1024"),
    ("max_batch", "power_of_two", {"MAX_BATCH": 4}, {"MAX_BATCH": 3},
     "MAX_BATCH=3 unsupported, need a power of two in 2..1024"),
    ("l_max", "min", {"L_MAX": 0}, {"L_MAX": -1}, "L_MAX=-1 unsupported, need 0..32"),
    ("l_max", "max", {"L_MAX": 32}, {"L_MAX": 33}, "L_MAX=33 unsupported, need 0..32"),
    ("r_max", "min", {"R_MAX": 1}, {"R_MAX": 0}, "R_MAX=0 unsupported, need 1..63"),
    ("r_max", "max", {"R_MAX": 63}, {"R_MAX": 64}, "R_MAX=64 unsupported, need 1..63"),
    # D = N_HID*(N_IN+1) + N_OUT*(N_HID+1): 65535 and 65536 (no smaller nets reach them)
    ("d", "max", {"N_IN": 20, "N_HID": 1820, "N_OUT": 15}, {"N_IN": 28, "N_HID": 1456, "N_OUT": 16},
     "D=65536 unsupported, need <= 65535 (D = weights and biases)"),
    ("queries", "min", {"QUERIES": 1}, {"QUERIES": 0}, "QUERIES=0 unsupported, need 1, 2, 4 or 8"),
    ("queries", "power_of_two", {"QUERIES": 4}, {"QUERIES": 3},
     "QUERIES=3 unsupported, need 1, 2, 4 or 8"),
    ("queries", "max", {"QUERIES": 8}, {"QUERIES": 16},
     "QUERIES=16 unsupported, need 1, 2, 4 or 8"),
    ("rounding", "min", {"ROUNDING": 0}, {"ROUNDING": -1},
     "ROUNDING=-1 unsupported, need 0 (nearest) or 1 (stochastic)"),
    ("rounding", "max", {"ROUNDING": 1}, {"ROUNDING": 2},
     "ROUNDING=2 unsupported, need 0 (nearest) or 1 (stochastic)"),
)

TRAIN_FWD = _layer_rows("pezo_train_fwd") + _rows(
    "pezo_train_fwd",
    ("n_out", "min", {"N_OUT": 2}, {"N_OUT": 1}, "N_OUT=1 unsupported, need 2..16"),
    ("n_out", "max", {"N_OUT": 16}, {"N_OUT": 17}, "N_OUT=17 unsupported, need 2..16"),
    ("x_frac", "min", {"X_FRAC": 4}, {"X_FRAC": 3}, "X_FRAC=3 unsupported, need >= 4"),
    # (A_BITS 32: pezo_train_loss allows A_FRAC up to A_BITS - 2 = 30)
    ("a_frac", "max", {"A_FRAC": 15}, {"A_FRAC": 16},
     "A_FRAC=16 unsupported, need <= 15 (W_FRAC + X_FRAC - 1)", {"A_BITS": 32, "LOSS_W": 66}),
    ("w_frac", "min", {"W_FRAC": 1}, {"W_FRAC": 0},
     "W_FRAC=0 unsupported, need >= 1", {"A_FRAC": 3}),
    ("a_bits", "min", {"A_BITS": 9}, {"A_BITS": 8},
     "A_BITS=8 unsupported, need >= 9 (PIX_W + X_FRAC - 3)",
     {"A_FRAC": 4}),
)

def _output_rows(top: str) -> list[Limit]:
    """The output format's rows of a loss unit (MSE, hinge)."""
    return _rows(
        top,
        ("a_bits", "min", {"A_BITS": 2}, {"A_BITS": 1},
         "A_BITS=1 unsupported, need 2..32", {"A_FRAC": 0}),
        ("a_bits", "max", {"A_BITS": 32}, {"A_BITS": 33}, "A_BITS=33 unsupported, need 2..32",
         {"LOSS_W": 68}),
        ("a_frac", "min", {"A_FRAC": 0}, {"A_FRAC": -1},
         "A_FRAC=-1 unsupported, need 0..14 (A_BITS - 2)"),
        ("a_frac", "max", {"A_FRAC": 14}, {"A_FRAC": 15},
         "A_FRAC=15 unsupported, need 0..14 (A_BITS - 2)"),
    )


TRAIN_LOSS = _output_rows("pezo_train_loss") + _rows(
    "pezo_train_loss",
    ("loss_w", "min", {"LOSS_W": 34}, {"LOSS_W": 33},
     "LOSS_W=33 unsupported, need >= 34 (2*A_BITS + 2)"),
)

TRAIN_HINGE = _output_rows("pezo_train_hinge") + _rows(
    "pezo_train_hinge",
    ("n_out", "min", {"N_OUT": 2}, {"N_OUT": 1}, "N_OUT=1 unsupported, need 2..16"),
    ("n_out", "max", {"N_OUT": 16}, {"N_OUT": 17}, "N_OUT=17 unsupported, need 2..16"),
    ("loss_w", "min", {"LOSS_W": 21}, {"LOSS_W": 20},
     "LOSS_W=20 unsupported, need >= 21 (A_BITS + 5)"),
)

TRAIN_RAM = _rows(
    "pezo_train_ram",
    ("lanes", "min", {"LANES": 1}, {"LANES": 0}, "LANES=0 unsupported, need >= 1"),
    ("word_w", "min", {"WORD_W": 1}, {"WORD_W": 0}, "WORD_W=0 unsupported, need >= 1"),
    ("rows", "min", {"ROWS": 2}, {"ROWS": 1}, "ROWS=1 unsupported, need >= 2", {"ADDR_W": 1}),
    ("addr_w", "min", {"ADDR_W": 8}, {"ADDR_W": 7},
     "ADDR_W=7 unsupported, need >= 8 (2^ADDR_W >= ROWS)"),
)

TRAIN_RSHIFT = _rows(  # EXT_W = max(IN_W + L_MAX + 2, R_MAX + 3) = 66 by default
    "pezo_train_rshift",
    ("in_w", "min", {"IN_W": 2}, {"IN_W": 1}, "IN_W=1 unsupported, need >= 2", {"OUT_W": 2}),
    ("out_w", "min", {"OUT_W": 2}, {"OUT_W": 1}, "OUT_W=1 unsupported, need 2..65 (EXT_W - 1)"),
    ("out_w", "max", {"OUT_W": 65}, {"OUT_W": 66}, "OUT_W=66 unsupported, need 2..65 (EXT_W - 1)"),
    ("s_w", "min", {"S_W": 2}, {"S_W": 1}, "S_W=1 unsupported, need 2..8"),
    ("s_w", "max", {"S_W": 8}, {"S_W": 9}, "S_W=9 unsupported, need 2..8"),
)

TRAIN_ROUND = _rows(
    "pezo_train_round",
    ("lanes", "min", {"LANES": 1}, {"LANES": 0}, "LANES=0 unsupported, need >= 1"),
    ("state_w", "max", {"STATE_W": 64}, {"STATE_W": 65}, "STATE_W=65 unsupported, need <= 64"),
    ("word_w", "min", {"WORD_W": 1}, {"WORD_W": 0},
     "WORD_W=0 unsupported, need 1..32 (WORD_W <= STATE_W)"),
    ("word_w", "max", {"WORD_W": 32}, {"WORD_W": 33},
     "WORD_W=33 unsupported, need 1..32 (WORD_W <= STATE_W)"),
)

TRAIN = (TRAIN_TOP + TRAIN_ENGINE + TRAIN_FWD + TRAIN_LOSS + TRAIN_HINGE + TRAIN_RAM
         + TRAIN_RSHIFT + TRAIN_ROUND)
LIMITS: list[Limit] = LFSR + NUMGEN + ARRAY + POOL + SCALE + GAUSS_ICDF + GAUSS_BM + TRAIN


def _values(params: dict[str, int]) -> str:
    return ", ".join(f"{name}={value:#x}" if name in ("TAPS", "ZERO_SUBST") else f"{name}={value}"
                     for name, value in params.items())


def markdown_table() -> str:
    """The limits as docs/architecture.md lists them (a test keeps the two equal)."""
    lines = ["| file | check `gen_param_error_*` | rule (the message's `need`) "
             "| last legal -> first illegal (other parameters) | test id |",
             "| --- | --- | --- | --- | --- |"]
    for limit in LIMITS:
        others = f" ({_values(limit.base)})" if limit.base else ""
        rule = limit.message.split(", need ", 1)[1]
        lines.append(f"| rtl/{limit.top}.v | {limit.check} | {rule} "
                     f"| {_values(limit.legal)} -> {_values(limit.illegal)}{others} | {limit.id} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
