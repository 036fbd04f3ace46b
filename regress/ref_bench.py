"""Reference-model throughput: ZO steps per second at d = 1210, batch 32.

    python -m ref_model.bench [--steps N]

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
from ref_model.trainer import run

CASES = [
    ("fixed", {"perturb": "uniform-scaled", "generator": "hw", "reuse": "pool"}),
    ("fixed", {"perturb": "uniform-scaled", "generator": "hw", "reuse": "array"}),
    ("fixed", {"perturb": "uniform-scaled", "generator": "hw", "reuse": "fresh"}),
    ("fixed", {"perturb": "gaussian", "generator": "ideal", "reuse": "fresh"}),
    ("float", {"perturb": "gaussian", "generator": "ideal", "reuse": "fresh"}),
    ("float", {"perturb": "uniform-scaled", "generator": "hw", "reuse": "pool"}),
]


def steps_per_second(cfg: TrainConfig, steps: int) -> float:
    base = min(run(replace(cfg, steps=0)).seconds for _ in range(2))
    return steps / (run(replace(cfg, steps=steps)).seconds - base)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ref_model.bench")
    p.add_argument("--steps", type=int, default=5000)
    args = p.parse_args(argv)
    print(f"python {platform.python_version()}, {platform.machine()}, d = 1210, batch 32")
    print(f"{'arith':6} {'perturbation / generator / reuse':40} {'steps/s':>9}")
    for arith, kw in CASES:
        cfg = TrainConfig(arith=arith, eval_points=1, **kw)
        rate = steps_per_second(cfg, args.steps)
        print(f"{arith:6} {kw['perturb'] + ' / ' + kw['generator'] + ' / ' + kw['reuse']:40} {rate:9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
