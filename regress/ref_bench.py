"""Reference-model throughput: ZO steps per second at d = 1210, batch 32.

    python -m regress.ref_bench [--steps N]     (also part of `make bench`)

Cases: fixed point for every training-engine source of ref_model/source_table.py, the
ideal Gaussian baseline in fixed and float point, the scaled pool in float point.

rate = N / (t(N steps) - t(0 steps)): the set-up (data, batches, pool) is
excluded, the per-step trace (losses, g_hat, sha256 of the weights) included.
Target: fixed point >= 2,000 steps/s on the 2-core machine, so the reference is
never the RTL scoreboard's bottleneck.
"""

from __future__ import annotations

import argparse
import platform
import sys
from dataclasses import replace

from ref_model.config import TrainConfig
from ref_model.source_table import engine_sources
from ref_model.trainer import run


def cases() -> list[tuple[str, dict[str, str]]]:
    """(arith, perturb/generator/reuse) of every benchmarked run."""
    engine = [{"perturb": s.perturb, "generator": "hw", "reuse": s.reuse.value}
              for s in engine_sources()]
    ideal = {"perturb": "gaussian", "generator": "ideal", "reuse": "fresh"}
    scaled_pool = next(c for c in engine if c["perturb"] == "uniform-scaled")
    return ([("fixed", c) for c in engine]
            + [("fixed", ideal), ("float", ideal), ("float", scaled_pool)])


def steps_per_second(cfg: TrainConfig, steps: int) -> float:
    base = min(run(replace(cfg, steps=0)).seconds for _ in range(2))
    return steps / (run(replace(cfg, steps=steps)).seconds - base)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m regress.ref_bench")
    p.add_argument("--steps", type=int, default=5000)
    args = p.parse_args(argv)
    print(f"python {platform.python_version()}, {platform.machine()}, d = 1210, batch 32")
    print(f"{'arith':6} {'perturbation / generator / reuse':40} {'steps/s':>9}")
    for arith, kw in cases():
        cfg = TrainConfig(arith=arith, eval_points=1, **kw)
        rate = steps_per_second(cfg, args.steps)
        kind = f"{kw['perturb']} / {kw['generator']} / {kw['reuse']}"
        print(f"{arith:6} {kind:40} {rate:9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
