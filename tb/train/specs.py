"""The training engine's runnable tests: pyuvm test class x HDL variant.

VARIANTS are the CI configurations (64-8-10, LANES 4, batch 8, one per perturbation
source); TESTCASES x VARIANTS is what the default regression runs. specs() adds the
long tests on the default 64-16-10 MLP and on two hidden layers (64-32-16-10) and the hinge
loss (suite `train-long`) and the pool whose size
divides d (the engine must refuse to step), TrainDmaTest on every variant, whose
samples come from the SystemC DMA (verilator-sc only), and TrainStepsTest on iris, wine
and breast_cancer (N_IN and N_OUT from the data; the data set reaches the test in
PEZO_TRAIN, TestSpec.env) and on 64-16-8-10 and the hinge loss (SHAPE_VARIANTS).
"""

from __future__ import annotations

import json

from ref_model import rtl_twin as T
from ref_model.source_table import engine_sources
from tb.harness import Bench, TestSpec
from tb.train.settings import ENV as SETTINGS_ENV

TRAIN_FILES = ("rtl/pezo_train_top.v", "rtl/pezo_train_engine.v", "rtl/pezo_train_regs.v",
               "rtl/pezo_train_ctrl.v", "rtl/pezo_train_datapath.v", "rtl/pezo_train_fwd.v",
               "rtl/pezo_train_lane.v", "rtl/pezo_train_loss.v", "rtl/pezo_train_hinge.v",
               "rtl/pezo_train_ram.v", "rtl/pezo_train_rshift.v", "rtl/pezo_train_round.v")
# the engine and every perturbation source it can select (rtl/pezo_train_regmap.vh is
# found through the include directory, tb/rtl_includes.py)
SOURCES = TRAIN_FILES + tuple(dict.fromkeys(f for s in engine_sources() for f in s.rtl_files))
BENCH = Bench("train", "pezo_train_top", SOURCES, "tb.train.test_train")

def _variants(suffix: str, hidden: int, pool_n: int) -> dict[str, dict[str, int]]:
    return {f"{row.train_variant}_{suffix}":
            T.default_params(row, hidden=hidden, lanes=4, pool_n=pool_n)
            for row in engine_sources()}


VARIANTS = _variants("h8", hidden=8, pool_n=1024)
LONG_VARIANTS = _variants("h16", hidden=16, pool_n=2048)
EXTRA_VARIANTS = {
    # 64-8-10: d = 610 = N: the pool refuses every step (d mod N = 0)
    "pool_divides_d": T.default_params("pool", hidden=8, lanes=2, pool_n=610),
    # one word per memory row: the lane address has no bits
    "pool_h8_l1": T.default_params("pool", hidden=8, lanes=1, pool_n=1024),
    # the folded scale of one term, 2 = 2^13 / 2^12: all of it in the shifts, z = v
    "scaled_pow2_h8": {**T.default_params("pool-scaled-folded", hidden=8, lanes=4, pool_n=1024),
                       "SCALE_M": 1 << 13},
}
# the other data sets (ref_model/data.py): N_IN and N_OUT from the data, pool source, h8
DATA_VARIANTS = {f"{name}_pool_h8": (name, T.default_params("pool", hidden=8, lanes=4,
                                                            pool_n=1024, dataset=name))
                 for name in ("iris", "wine", "breast_cancer")}
# the network and loss (N_HID2, LOSS): two hidden layers, the multi-class hinge loss; CI
# sizes (TrainStepsTest in the default suite) and the long runs' (train-long)
SHAPE_VARIANTS = {
    "pool_h16x8": T.default_params("pool", hidden=16, hidden2=8, lanes=4, pool_n=1024),
    "pool_h8_hinge": T.default_params("pool", hidden=8, lanes=4, pool_n=1024, loss="hinge"),
}
LONG_SHAPE_VARIANTS = {  # the source of `pezo train --rtl`: uniform-scaled pool, N 2048
    "scaled_h32x16": T.default_params("pool-scaled", hidden=32, hidden2=16, lanes=4,
                                      pool_n=2048),
    "scaled_h16_hinge": T.default_params("pool-scaled", hidden=16, lanes=4, pool_n=2048,
                                         loss="hinge"),
}


# the update's options (ref_model/step.py fixed_step): q = 2 queries per step, stochastic
# rounding, both on the RNG array; short runs (and a resume through SKIP) in the default
# suite, 2,000 steps on 64-16-10 in train-long
def _update_options(base: dict[str, int], queries: int, rounding: int) -> dict[str, int]:
    return {**base, **({"QUERIES": queries} if queries > 1 else {}),
            **({"ROUNDING": rounding} if rounding else {})}


UPDATE_VARIANTS = {
    "pool_h8_q2": _update_options(VARIANTS["pool_h8"], 2, 0),
    "pool_h8_sr": _update_options(VARIANTS["pool_h8"], 1, 1),
    "array_h8_q2_sr": _update_options(VARIANTS["array_h8"], 2, 1),
    # everything at once: two hidden layers, hinge loss, q 2, stochastic rounding
    "pool_h16x8_hinge_q2_sr": _update_options(SHAPE_VARIANTS["pool_h16x8"] | {"LOSS": 1}, 2, 1),
}
UPDATE_LONG_VARIANTS = {
    "pool_h16_q2": _update_options(LONG_VARIANTS["pool_h16"], 2, 0),
    "pool_h16_sr": _update_options(LONG_VARIANTS["pool_h16"], 1, 1),
}
UPDATE_TESTS = ("TrainStepsTest", "TrainResetResumeTest")
TESTCASES = ["TrainOneStepTest", "TrainStepsTest", "TrainResetResumeTest", "TrainIllegalTest"]
DEFAULT_EXTRA = tuple(f"train.TrainStepsTest.{v}"  # the default suite
                      for v in (*DATA_VARIANTS, *SHAPE_VARIANTS)) + tuple(
    f"train.{t}.{v}" for t in UPDATE_TESTS for v in UPDATE_VARIANTS)
SMOKE = "train.TrainOneStepTest.pool_h8"
# the SystemC models TrainDmaTest runs with (verilator-sc only, tb/systemc/attachments.py)
DMA = "train_dma"
LONG_TIMEOUT_S = 3600.0
TIMEOUT_S = 600.0

ALL_VARIANTS = {**VARIANTS, **LONG_VARIANTS, **EXTRA_VARIANTS, **SHAPE_VARIANTS,
                **LONG_SHAPE_VARIANTS, **UPDATE_VARIANTS, **UPDATE_LONG_VARIANTS,
                **{v: p for v, (_, p) in DATA_VARIANTS.items()}}


def params(variant: str) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(ALL_VARIANTS[variant].items()))


def specs() -> list[TestSpec]:
    out = [TestSpec(BENCH, test, variant, params(variant), TIMEOUT_S)
           for test in TESTCASES for variant in VARIANTS]
    out += [TestSpec(BENCH, "TrainLongTest", v, params(v), LONG_TIMEOUT_S) for v in LONG_VARIANTS]
    out += [TestSpec(BENCH, "TrainOneStepTest", v, params(v), TIMEOUT_S) for v in LONG_VARIANTS]
    out.append(TestSpec(BENCH, "TrainIllegalTest", "pool_divides_d", params("pool_divides_d"),
                        TIMEOUT_S))
    out += [TestSpec(BENCH, "TrainOneStepTest", v, params(v), TIMEOUT_S)
            for v in ("pool_h8_l1", "scaled_pow2_h8")]
    out += [TestSpec(BENCH, "TrainDmaTest", v, params(v), TIMEOUT_S, attachment=DMA)
            for v in VARIANTS]
    out += [TestSpec(BENCH, "TrainStepsTest", v, params(v), TIMEOUT_S,
                     env=((SETTINGS_ENV, json.dumps({"dataset": name})),))
            for v, (name, _) in DATA_VARIANTS.items()]
    out += [TestSpec(BENCH, "TrainStepsTest", v, params(v), TIMEOUT_S) for v in SHAPE_VARIANTS]
    out += [TestSpec(BENCH, test, v, params(v), limit) for v in LONG_SHAPE_VARIANTS
            for test, limit in (("TrainLongTest", LONG_TIMEOUT_S), ("TrainOneStepTest", TIMEOUT_S))]
    out += [TestSpec(BENCH, t, v, params(v), TIMEOUT_S) for t in UPDATE_TESTS
            for v in UPDATE_VARIANTS]
    out += [TestSpec(BENCH, "TrainLongTest", v, params(v), LONG_TIMEOUT_S)
            for v in UPDATE_LONG_VARIANTS]
    return out


LONG_SUITE = tuple(f"train.{test}.{v}" for test in ("TrainLongTest", "TrainOneStepTest")
                   for v in (*LONG_VARIANTS, *LONG_SHAPE_VARIANTS)) + \
    tuple(f"train.TrainLongTest.{v}" for v in UPDATE_LONG_VARIANTS)


def override(base: dict[str, int], overrides: dict[str, int]) -> dict[str, int]:
    """Custom parameters, validated like the RTL's elaboration checks."""
    p = {**base, **overrides}
    if "POOL_N" in overrides and "POOL_ADDR_W" not in overrides:
        p["POOL_ADDR_W"] = T.default_params(pool_n=p["POOL_N"])["POOL_ADDR_W"]
    T.check_params(p)
    return p
