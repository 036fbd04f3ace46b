"""`pezo train --rtl`: ZO training on a data set (digits by default; --dataset, as
`pezo ref train`) inside the RTL training engine (Verilator); N_IN and N_OUT come from the
data (features padded to the MAC lanes, ref_model/data.py).

Each seed runs tb.train's TrainCliTest through the harness: the engine trains by itself,
the scoreboard checks loss+, loss-, g_hat and the weight signature of every step against
the fixed-point reference, the final weights are read back. This module then evaluates
test accuracy of the read-back weights, runs the reference (ref_model.trainer) for the
same configuration, prints both loss curves and plots the RTL curve over the reference's.
With --sim verilator-sc the engine runs in the SystemC top with the models of attachment
train_dma (TrainCliDmaTest): the clock, the DMA streaming the samples and the step tap
recording every step are SystemC; Python sets up, starts one run, sleeps on timers and
checks every step from the tap. --native runs the native harness (regress/train_native.py).
Seeds run in parallel (--jobs); their progress is a live display on a terminal and a line
per seed every 30 s elsewhere (regress/train_progress.py).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ref_model import config
from ref_model import rtl_twin as T
from ref_model.errors import ConfigError
from ref_model.source_table import PerturbationSource, Reuse, engine_sources
from regress import train_progress
from regress.ref_cli import parse_int_list, parse_number

TRAIN_SIMULATORS = ("verilator", "verilator-sc")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register `train` (`pezo train --rtl ...`)."""
    p = subparsers.add_parser("train", help="ZO training inside the RTL engine (Verilator)")
    p.add_argument("--rtl", action="store_true", required=True,
                   help="train in RTL simulation (the only mode of this command)")
    rows = engine_sources()
    p.add_argument("--perturb", default="uniform-scaled",
                   help="|".join(dict.fromkeys(r.perturb for r in rows)))
    p.add_argument("--reuse", default="pool", help="; ".join(
        f"{k} ({', '.join(r.perturb for r in rows if r.reuse == k)})"
        for k in dict.fromkeys(r.reuse.value for r in rows)))
    p.add_argument("--pool-size", type=int, default=2048, help="pool N (default %(default)s)")
    p.add_argument("--array-size", type=int, default=4,
                   help="RNG array n = MAC lanes (default %(default)s)")
    p.add_argument("--lanes", type=int, default=4, help="MAC lanes for pool sources")
    p.add_argument("--dataset", default="digits",
                   help="digits|iris|wine|breast_cancer or a .npz/.csv file (default %(default)s)")
    p.add_argument("--hidden", default="16",
                   help="hidden units: H (N_IN-H-N_OUT) or H1,H2 (N_IN-H1-H2-N_OUT, two hidden "
                        "layers; default %(default)s)")
    p.add_argument("--loss", default="mse", help="|".join(T.LOSSES) + " (default %(default)s)")
    p.add_argument("--queries", type=int, default=1,
                   help="perturbations per step q, their g averaged: 1, 2, 4 or 8 (QUERIES)")
    p.add_argument("--rounding", default="nearest",
                   help="the update's rounding: nearest|stochastic (ROUNDING)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--eps", default="2^-6")
    p.add_argument("--lr", default="2^-10")
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--seeds", default="0", help="comma-separated seeds (default %(default)s)")
    p.add_argument("--out", default=None, help="FILE.json (a PNG of the curves goes beside it)")
    p.add_argument("--sim", choices=TRAIN_SIMULATORS, default="verilator",
                   help="verilator: cocotb feeds every sample; verilator-sc: the SystemC "
                        "clock, DMA and step tap (default %(default)s)")
    p.add_argument("--jobs", type=int, default=None,
                   help="seeds run at once (default: every seed, up to 4 per core: equal runs "
                        "sharing the cores end sooner than runs in rounds)")
    p.add_argument("--native", action="store_true",
                   help="the native SystemC harness: no Python in the simulation")
    p.add_argument("--check-trace", metavar="TRACE", default=None,
                   help="only compare this step trace of the native harness with the "
                        "reference of the configuration (first seed)")
    p.set_defaults(func=run)
    return p


def engine_source(perturb: str, reuse: str) -> PerturbationSource:
    """The engine's source with this reference perturbation and reuse kind."""
    rows = engine_sources()
    for row in rows:
        if row.perturb == perturb and row.reuse == reuse:
            return row
    raise ConfigError(f"--perturb {perturb} --reuse {reuse}: the RTL engine has sources "
                      f"{', '.join(f'{r.perturb}/{r.reuse}' for r in rows)}")


def parse_hidden(text: str) -> tuple[int, int]:
    """--hidden 'H' or 'H1,H2' -> (N_HID, N_HID2), N_HID2 0 for one hidden layer."""
    sizes = parse_int_list(text, "--hidden", minimum=1)
    if len(sizes) > 2:
        raise ConfigError(f"--hidden '{text}': the RTL engine has one or two hidden layers "
                          "(H or H1,H2)")
    return sizes[0], (sizes[1] if len(sizes) == 2 else 0)


def rtl_params(args) -> dict[str, int]:
    source = engine_source(args.perturb, args.reuse)
    lanes = args.array_size if source.reuse is Reuse.ARRAY else args.lanes
    hidden, hidden2 = parse_hidden(args.hidden)
    params = T.default_params(source, hidden=hidden, lanes=lanes, pool_n=args.pool_size,
                              max_batch=max(32, 1 << max(0, (args.batch - 1).bit_length())),
                              dataset=args.dataset, hidden2=hidden2, loss=args.loss)
    params.update(update_options(args.queries, args.rounding))
    T.check_params(params)
    if T.pool_divides_d(params):
        raise ConfigError(f"pool size {args.pool_size} divides d={T.dimension_of(params)}: the "
                          f"offset never moves, every step's perturbation would be identical")
    return params


def update_options(queries: int, rounding: str) -> dict[str, int]:
    """QUERIES and ROUNDING where they differ from the engine's defaults."""
    if rounding not in config.ROUNDINGS:
        raise ConfigError(f"--rounding {rounding}: choose one of {', '.join(config.ROUNDINGS)}")
    options = {"QUERIES": queries} if queries != 1 else {}
    return {**options, **({"ROUNDING": 1} if rounding == "stochastic" else {})}


def cli_spec(sim: str, params: dict[str, int], steps: int):
    """TrainCliTest, or TrainCliDmaTest with the SystemC models on verilator-sc."""
    from tb import harness
    from tb.train.specs import BENCH, DMA

    systemc = sim == "verilator-sc"
    return harness.TestSpec(BENCH, "TrainCliDmaTest" if systemc else "TrainCliTest", "cli",
                            tuple(sorted(params.items())), timeout_s=max(600.0, steps * 2.0),
                            attachment=DMA if systemc else None)


def harness_run(sim: str, params: dict[str, int], seed: int, steps: int, batch: int,
                eps: float, lr: float, display=None, dataset: str = "digits") -> dict:
    """One seed's cocotb run through the harness, as `pezo train` reports it; its progress
    goes to `display` (regress/train_progress.py) when one is given."""
    from tb import harness
    from tb.train.settings import TrainSettings

    out_dir = _out_dir(seed)
    progress = out_dir / "progress.txt"
    env = TrainSettings(steps=steps, seed=seed, batch=batch, eps=eps, lr=lr, dataset=dataset,
                        progress=str(progress.resolve())).to_env()
    start = time.monotonic()
    with _tail(display, seed, progress):
        result = harness.run(cli_spec(sim, params, steps), seed, sim, out_dir=out_dir,
                             extra_env=env)
    wall = time.monotonic() - start
    m = result.metrics
    return {"status": result.status, "message": result.message,
            "bit_exact": result.status == "pass" and m.get("mismatches", 1) == 0,
            "steps_checked": m.get("steps_checked", 0), "theta": m.get("theta") or [],
            "curve": m.get("curve", []), "sim_cycles": int((result.sim_time_ns or 0) / 10),
            "wall_s": round(wall, 2), "test_s": result.test_time_s, "simulator": sim,
            "steps_per_s": round(steps / result.test_time_s, 2) if result.test_time_s else 0,
            "step_cycles": m.get("step_cycles"), "log": result.log}


def _tail(display, seed: int, path: Path, read=train_progress.scoreboard_progress):
    """The seed's progress into the display while the run lasts (nothing without one)."""
    if display is None:
        return contextlib.nullcontext()
    return train_progress.ProgressTail(display, seed, path, read)


def _build_once(args, params: dict[str, int]) -> None:
    from regress import train_native
    if args.native:
        train_native.executable(params)
        return
    build(args.sim, params, args.steps)


def build(sim: str, params: dict[str, int], steps: int) -> None:
    """The cocotb flow's design for `sim`, built once (the harness caches it)."""
    from tb import harness

    harness.build(cli_spec(sim, params, steps), sim)


def _out_dir(seed: int) -> Path:
    out_dir = (Path("build/train_rtl") / f"seed{seed}-{time.time_ns()}").resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def train_seed(args, params: dict[str, int], seed: int, eps: float, lr: float,
               display=None) -> dict:
    """One seed's run (the harness's, or the native harness's with --native), its test
    accuracy, and the reference and float Gaussian runs of the same configuration."""
    from ref_model import trainer
    from regress import train_native

    twin = T.Twin(params, seed, args.steps, batch=args.batch, eps=eps, lr=lr,
                  dataset=args.dataset)
    if args.native:
        out_dir = _out_dir(seed)
        reader = train_progress.trace_progress(2.0 ** -twin.shifts.loss_frac)
        with _tail(display, seed, out_dir / train_native.TRACE, reader):
            run = train_native.run(params, seed, args.steps, args.batch, eps, lr, out_dir,
                                   dataset=args.dataset)
    else:
        run = harness_run(args.sim, params, seed, args.steps, args.batch, eps, lr,
                          display=display, dataset=args.dataset)
    theta, curve = run.pop("theta"), run.pop("curve")
    rtl_acc = twin.readback_accuracy(theta)
    ref = trainer.run(twin.cfg)
    # the float MeZO-style Gaussian baseline, same data, batches, steps, eps and lr
    gauss = trainer.run(dataclasses.replace(twin.cfg, arith="float", perturb="gaussian",
                                            generator="ideal", reuse="fresh"))
    return {"seed": seed, **run, "rtl_test_accuracy": rtl_acc,
            "ref_test_accuracy": ref.test_accuracy,
            "float_gaussian_test_accuracy": gauss.test_accuracy,
            "curves": {"rtl_step": [c[0] + 1 for c in curve], "rtl_loss": [c[1] for c in curve],
                       "ref_step": ref.curve_steps, "ref_loss": ref.curve_loss}}


def _print_curve(run: dict, points: int = 10) -> None:
    steps, loss = run["curves"]["rtl_step"], run["curves"]["rtl_loss"]
    if not steps:
        return
    every = max(1, len(steps) // points)
    window = []
    for i in range(every - 1, len(steps), every):
        recent = loss[max(0, i - every + 1):i + 1]
        window.append((steps[i], sum(recent) / len(recent)))
    print(f"  seed {run['seed']} loss curve (RTL, mean of L+ and L- over {every} steps):")
    for s, v in window:
        print(f"    step {s:>7} loss {v:.4f}")


def _plot(runs: list[dict], title: str, path: str, loss: str = "mse") -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4))
    for r in runs:
        c = r["curves"]
        ax.plot(c["rtl_step"], c["rtl_loss"], lw=0.6, alpha=0.7, label=f"RTL seed {r['seed']}")
        ax.plot(c["ref_step"][1:], c["ref_loss"][1:], "o--", ms=3,
                label=f"reference seed {r['seed']} (window means)")
    ax.set_xlabel("step")
    ax.set_ylabel(f"loss ({loss}, mean of L+ and L-)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def run(args) -> int:
    seeds = parse_int_list(args.seeds, "--seeds")
    if args.steps < 1:
        raise ConfigError(f"--steps must be >= 1, got {args.steps}")
    if args.out and not args.out.endswith(".json"):
        raise ConfigError(f"--out '{args.out}': expected a .json file name")
    eps, lr = parse_number(args.eps, "--eps"), parse_number(args.lr, "--lr")
    params = rtl_params(args)
    T.Twin(params, seeds[0], 1, batch=args.batch, eps=eps, lr=lr,
           dataset=args.dataset)  # config errors before any build
    if args.native and args.sim != "verilator":
        raise ConfigError(f"--native and --sim {args.sim}: the native harness is its own "
                          "simulation (verilator-sc, no cocotb)")
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError(f"--jobs must be >= 1, got {args.jobs}")
    if args.check_trace:
        return check_trace(args.check_trace, params, seeds[0], args, eps, lr)
    print(f"RTL training on {args.dataset}: {args.perturb}/{args.reuse}, "
          f"{'-'.join(str(n) for n in T.sizes_of(params))} {args.loss} "
          f"(d={T.dimension_of(params)}), LANES {params['LANES']}, batch {args.batch}, "
          f"q {args.queries}, {args.rounding} rounding, {args.steps} steps, seeds {seeds}")
    jobs = args.jobs or min(len(seeds), 4 * (os.cpu_count() or 1))
    if jobs > 1:
        _build_once(args, params)  # before the seeds race for the build lock
    display = train_progress.for_stream(seeds, args.steps)
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            runs = list(pool.map(lambda seed: train_seed(args, params, seed, eps, lr, display),
                                 seeds))
    finally:
        display.close()
    for seed, r in zip(seeds, runs, strict=True):
        _print_curve(r)
        print(f"  seed {seed}: {r['status']}, bit_exact={r['bit_exact']}, "
              f"{r['steps_checked']} steps checked, RTL test acc {r['rtl_test_accuracy']:.4f}, "
              f"fixed-point reference {r['ref_test_accuracy']:.4f}, float Gaussian "
              f"{r['float_gaussian_test_accuracy']:.4f}, {r['sim_cycles']} cycles, "
              f"{r['wall_s']:.1f} s ({r['steps_per_s']} steps/s in the test) {r['message']}")
    if args.out:
        doc = {"config": {"dataset": args.dataset, "perturb": args.perturb, "reuse": args.reuse,
                          "layers": list(T.sizes_of(params)), "loss": args.loss,
                          "steps": args.steps,
                          "batch": args.batch, "eps": eps, "lr": lr, "hdl_params": params},
               "seeds": seeds, "d": T.dimension_of(params), "runs": runs,
               **{f"mean_{key}": sum(r[key] for r in runs) / len(runs)
                  for key in ("rtl_test_accuracy", "ref_test_accuracy",
                              "float_gaussian_test_accuracy")},
               "all_bit_exact": all(r["bit_exact"] for r in runs)}
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as fh:
            json.dump(doc, fh, indent=1)
        _plot(runs, f"RTL vs reference: {args.perturb}/{args.reuse}, "
              f"{'-'.join(str(n) for n in T.sizes_of(params))}, {args.steps} steps",
              os.path.splitext(args.out)[0] + ".png", args.loss)
        print(f"wrote {args.out} and {os.path.splitext(args.out)[0]}.png")
    return 0 if all(r["bit_exact"] for r in runs) else 1


def check_trace(path: str, params: dict[str, int], seed: int, args, eps: float,
                lr: float) -> int:
    from tb.train import trace_check
    if not Path(path).is_file():
        raise ConfigError(f"--check-trace {path}: no such file")
    twin = T.Twin(params, seed, args.steps, batch=args.batch, eps=eps, lr=lr,
                  dataset=args.dataset)
    result = trace_check.check(twin, Path(path))
    print(f"{path}: {result.steps} steps checked against the reference (seed {seed}): "
          f"{result.mismatch or 'bit exact, weights equal'}")
    return 1 if result.mismatch else 0


def main(argv: list[str] | None = None) -> int:
    """`python -m regress.train_rtl train --rtl ...`: the same as `pezo train --rtl ...`."""
    from regress import cli
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
