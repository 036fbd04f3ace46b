"""`pezo ref train` and `pezo ref study`: the reference model's command line.

The project's `pezo` main calls add_parser(subparsers); each subcommand's
function takes the parsed args and returns an exit status. ConfigError escapes to
the caller, which prints `pezo: error: <message>` and exits 2 (main() below does
the same when this module runs alone: `python -m regress.ref_cli ref train ...`).
The perturbation and reuse choices, and `--source`, come from ref_model/source_table.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from ref_model import config as C
from ref_model import data, source_table
from ref_model.errors import ConfigError
from regress import backend_options

DEFAULTS = C.TrainConfig()


def parse_int_list(text: str, name: str, minimum: int = 0) -> list[int]:
    """'0,1,2' -> [0, 1, 2]; ConfigError naming `name` on anything else."""
    items = [s.strip() for s in str(text).split(",")]
    if not items or any(not re.fullmatch(r"[+-]?\d+", s) for s in items):
        raise ConfigError(f"{name} '{text}': expected comma-separated integers, e.g. 0,1,2")
    values = [int(s) for s in items]
    if any(v < minimum for v in values):
        raise ConfigError(f"{name} '{text}': every value must be >= {minimum}")
    return values


def parse_number(text: str, name: str) -> float:
    """'0.01', '2^-6' or '2**-6' -> float."""
    m = re.fullmatch(r"\s*2\s*(?:\^|\*\*)\s*([+-]?\d+)\s*", str(text))
    if m:
        return 2.0 ** int(m.group(1))
    try:
        return float(text)
    except ValueError:
        raise ConfigError(f"{name} '{text}': expected a number or 2^k") from None


def _add_train_options(p: argparse.ArgumentParser) -> None:
    d = DEFAULTS
    p.add_argument("--dataset", default=d.dataset,
                   help=f"{'|'.join(data.names())} or a .npz (x, y) / .csv (label last) file "
                   "(default %(default)s)")
    p.add_argument("--model", default=d.model, help="mlp or linear (default %(default)s)")
    p.add_argument("--layers", default=None,
                   help="layer sizes, e.g. 64,16,10 or 64,32,16,10 (default: the data set's "
                   "features, 16, its classes; linear: features, classes)")
    p.add_argument("--loss", default=d.loss, help="mse or hinge (default %(default)s)")
    p.add_argument("--source", default=None,
                   help="a perturbation source: sets --perturb, --reuse and --generator hw ("
                   + "|".join(s.name for s in source_table.SOURCES if s.perturb) + ")")
    p.add_argument("--perturb", default=None,
                   help=f"{'|'.join(C.PERTURBS)} (default {d.perturb})")
    p.add_argument("--generator", default=None,
                   help=f"ideal (torch) or hw (LFSR model) (default {d.generator})")
    p.add_argument("--reuse", default=None, help=f"{'|'.join(C.REUSES)} (default {d.reuse})")
    p.add_argument("--pool-size", type=int, default=d.pool_size,
                   help="pool N (default %(default)s)")
    p.add_argument("--pool-refresh", type=int, default=d.pool_refresh,
                   help="refill every R steps; 0 never")
    p.add_argument("--array-size", type=int, default=d.array_size,
                   help="RNG array n (default %(default)s)")
    p.add_argument("--arith", default=d.arith, help="float or fixed")
    p.add_argument("--rounding", default=d.rounding,
                   help="fixed update rounding: nearest or stochastic")
    p.add_argument("--eps", default="2^-6", help="perturbation scale (number or 2^k)")
    p.add_argument("--lr", default="2^-10", help="learning rate (number or 2^k)")
    p.add_argument("--batch", type=int, default=d.batch)
    p.add_argument("--queries", type=int, default=d.queries,
                   help="q perturbations per step, averaged")
    p.add_argument("--steps", type=int, default=d.steps)
    p.add_argument("--scale-terms", type=int, default=d.scale_terms,
                   help="powers of two in the adaptive scale")
    p.add_argument("--w-frac", type=int, default=d.fmt.w_frac, help="weight fraction bits")
    p.add_argument("--w-bits", type=int, default=d.fmt.w_bits, help="weight width")
    p.add_argument("--z-word", type=int, default=d.fmt.z_word, help="perturbation word width W")
    p.add_argument("--eval-points", type=int, default=d.eval_points, help="curve samples")


def source_settings(args: argparse.Namespace) -> dict[str, str]:
    """perturb, reuse and generator: from --source, else the options or their defaults."""
    given = {name: getattr(args, name) for name in ("perturb", "reuse", "generator")}
    if args.source is None:
        return {name: value if value is not None else getattr(DEFAULTS, name)
                for name, value in given.items()}
    source = source_table.by_name(args.source)
    if source.perturb is None:
        raise ConfigError(f"--source {source.name} is a block-bench generator only: the "
                          "training reference has no perturbation for it")
    chosen = {"perturb": source.perturb, "reuse": source.reuse.value, "generator": "hw"}
    clash = [f"--{n} {v}" for n, v in given.items() if v is not None and v != chosen[n]]
    if clash:
        means = ", ".join(f"--{n} {v}" for n, v in chosen.items())
        raise ConfigError(f"--source {source.name} means {means}; it contradicts "
                          + ", ".join(clash))
    return chosen


def config_from_args(args: argparse.Namespace, seed: int) -> C.TrainConfig:
    """TrainConfig for one seed; ConfigError on a bad value."""
    features, classes = data.shape(args.dataset)
    hidden = () if args.model == "linear" else DEFAULTS.layers[1:-1]
    layers = (features, *hidden, classes)
    if args.layers is not None:
        layers = tuple(parse_int_list(args.layers, "--layers", 1))
    fmt = C.FixedFormat(w_frac=args.w_frac, w_bits=args.w_bits, z_word=args.z_word)
    cfg = C.TrainConfig(
        dataset=args.dataset, model=args.model, layers=layers, loss=args.loss,
        **source_settings(args), pool_size=args.pool_size,
        pool_refresh=args.pool_refresh, array_size=args.array_size, arith=args.arith,
        eps=parse_number(args.eps, "--eps"), lr=parse_number(args.lr, "--lr"), batch=args.batch,
        queries=args.queries, steps=args.steps, seed=seed, scale_terms=args.scale_terms,
        rounding=args.rounding, eval_points=args.eval_points, fmt=fmt)
    C.validate_basic(cfg)
    if cfg.steps < 1:  # the library allows 0 (set-up timing); a result needs training
        raise ConfigError(f"--steps must be >= 1, got {cfg.steps}: 0 steps would report "
                          "the untrained network as a result")
    return cfg


def _train_one(cfg: C.TrainConfig, trace_path: str | None) -> dict:
    from ref_model.trainer import run

    res = run(cfg)
    if trace_path:
        header = {"config": json.dumps(cfg.to_dict()), "perturbation": json.dumps(res.perturbation)}
        res.trace.write_csv(trace_path, header)
    return res.summary()


def _trace_path(base: str | None, seed: int, many: bool) -> str | None:
    if not base or not many:
        return base
    root, ext = os.path.splitext(base)
    return f"{root}.seed{seed}{ext or '.csv'}"


def run_train(args: argparse.Namespace) -> int:
    """`ref train`: train every seed, print the table, write JSON + PNG."""
    seeds = parse_int_list(args.seeds, "--seeds")
    if len(set(seeds)) != len(seeds):
        raise ConfigError(f"--seeds '{args.seeds}': repeated seed")
    if args.jobs < 1:
        raise ConfigError(f"--jobs must be >= 1, got {args.jobs}")
    cfgs = [config_from_args(args, s) for s in seeds]
    from ref_model.layout import dimension

    C.validate(cfgs[0], dimension(cfgs[0].layers))  # d-dependent checks before any work
    if args.out and not args.out.endswith(".json"):
        raise ConfigError(f"--out '{args.out}': expected a .json file name")
    traces = [_trace_path(args.trace, s, len(seeds) > 1) for s in seeds]
    jobs = min(args.jobs, len(cfgs))
    if jobs == 1:
        runs = [_train_one(c, t) for c, t in zip(cfgs, traces, strict=True)]
    else:
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as ex:
            runs = list(ex.map(_train_one, cfgs, traces))
    mean = sum(r["test_accuracy"] for r in runs) / len(runs)
    print(f"{'seed':>6} {'steps':>8} {'final loss':>11} {'test acc':>9} {'seconds':>8}")
    for r in runs:
        print(f"{r['seed']:>6} {r['steps']:>8} {r['final_loss']:>11.4f} "
              f"{r['test_accuracy']:>9.4f} {r['seconds']:>8.1f}")
    print(f"{'mean':>6} {'':>8} {'':>11} {mean:>9.4f}")
    if args.out:
        config = cfgs[0].to_dict()
        config.pop("seed")
        doc = {"config": config, "seeds": seeds, "d": runs[0]["d"], "runs": runs,
               "mean_test_accuracy": mean}
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as fh:
            json.dump(doc, fh, indent=1)
        from regress.plots import plot_curves

        title = (f"{config['perturb']}/{config['generator']}/{config['reuse']} "
                 f"{config['arith']}, {config['steps']} steps, mean acc {mean:.3f}")
        plot_curves(runs, title, os.path.splitext(args.out)[0] + ".png")
    return 0


def run_study(args: argparse.Namespace) -> int:
    """`ref study`: the accuracy table over perturbation x reuse x pool size x arith."""
    from regress import study

    seeds = parse_int_list(args.seeds, "--seeds")
    pools = parse_int_list(args.pool_sizes, "--pool-sizes", 1)
    if args.steps < 1 or args.jobs < 1:
        raise ConfigError("--steps and --jobs must be >= 1")
    backend = backend_options.pool(args, args.jobs)
    try:
        study.run_study(steps=args.steps, seeds=seeds, pool_sizes=pools,
                        array_size=args.array_size, out_dir=args.out_dir, jobs=args.jobs,
                        command="pezo " + " ".join(sys.argv[1:]), full=args.full,
                        reuse=not args.recompute, backend=backend)
    finally:
        backend.close()
    return 0


def run_datasets(args: argparse.Namespace) -> int:
    """`ref datasets`: the accuracy table on other data sets, logistic regression beside."""
    from regress import data_study

    seeds = parse_int_list(args.seeds, "--seeds")
    datasets = [s.strip() for s in args.datasets.split(",") if s.strip()]
    if not datasets:
        raise ConfigError(f"--datasets '{args.datasets}': name at least one data set")
    if args.steps < 1 or args.jobs < 1:
        raise ConfigError("--steps and --jobs must be >= 1")
    if args.rtl_sim not in ("verilator", "verilator-sc", "none"):
        raise ConfigError(f"--rtl-sim '{args.rtl_sim}': choose verilator, verilator-sc or none")
    backend = backend_options.pool(args, args.jobs)
    try:
        data_study.run_study(datasets, args.steps, seeds, args.jobs, args.out_dir,
                             None if args.rtl_sim == "none" else args.rtl_sim,
                             "pezo " + " ".join(sys.argv[1:]), backend=backend)
    finally:
        backend.close()
    return 0


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register `ref` with subcommands `train` and `study`."""
    ref = subparsers.add_parser("ref", help="PyTorch ZO training reference model")
    sub = ref.add_subparsers(dest="ref_command", required=True)
    train = sub.add_parser("train", help="train on a data set, print and save accuracy")
    _add_train_options(train)
    train.add_argument("--seeds", default="0,1,2",
                       help="comma-separated seeds (default %(default)s)")
    train.add_argument("--jobs", type=int, default=2, help="worker processes (default %(default)s)")
    train.add_argument("--out", default=None, help="FILE.json (a PNG of the curves goes beside it)")
    train.add_argument("--trace", default=None, help="per-step trace CSV (per seed if several)")
    train.set_defaults(func=run_train)
    st = sub.add_parser("study", help="accuracy table over perturbation x reuse x pool size")
    st.add_argument("--steps", type=int, default=DEFAULTS.steps)
    st.add_argument("--seeds", default="0,1,2")
    st.add_argument("--pool-sizes", default="256,1021,2039,4096")
    st.add_argument("--array-size", type=int, default=DEFAULTS.array_size)
    st.add_argument("--jobs", type=int, default=2)
    st.add_argument("--out-dir", default="docs/study")
    st.add_argument("--full", action="store_true",
                    help="every perturbation x (fresh, every pool size, array)")
    st.add_argument("--recompute", action="store_true",
                    help="ignore the runs already in OUT_DIR/study.json")
    backend_options.add(st)
    st.set_defaults(func=run_study)
    ds = sub.add_parser("datasets", help="accuracy on other data sets, logistic regression beside")
    ds.add_argument("--datasets", default=",".join(n for n in data.names() if n != "digits"),
                    help="comma-separated names or .npz/.csv files (default %(default)s)")
    ds.add_argument("--steps", type=int, default=10000)
    ds.add_argument("--seeds", default="0,1,2")
    ds.add_argument("--jobs", type=int, default=2)
    ds.add_argument("--rtl-sim", default="verilator-sc",
                    help="the RTL row's simulator: verilator, verilator-sc or none")
    ds.add_argument("--out-dir", default="docs/study")
    backend_options.add(ds)
    ds.set_defaults(func=run_datasets)
    return ref


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry with the project's error convention."""
    parser = argparse.ArgumentParser(prog="pezo")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"pezo: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
