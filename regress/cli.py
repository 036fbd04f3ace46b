"""`pezo`: the project's one command line.

Every bad input ends in one line `pezo: error: ...` and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys

from ref_model.errors import ConfigError
from regress import backend_options, ref_cli
from tb.toolchain import SIMULATORS, ToolchainError

EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, not a usage dump."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"pezo: error: {message} (see `{self.prog} --help`)\n")


def int_list(text: str) -> list[int]:
    try:
        values = [int(v, 0) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a comma-separated list of integers") from None
    if not values:
        raise argparse.ArgumentTypeError("the list is empty")
    return values


def sim_list(text: str) -> list[str]:
    sims = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in sims if s not in SIMULATORS]
    if bad or not sims:
        raise argparse.ArgumentTypeError(
            f"unknown simulator '{','.join(bad) or text}'; choose from {', '.join(SIMULATORS)}")
    return sims


def param(text: str) -> tuple[str, int]:
    name, sep, value = text.partition("=")
    try:
        return name.strip(), int(value, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not NAME=INTEGER") from None


def cmd_list(args) -> int:
    from regress.suites import builtin
    from tb.registry import TESTS
    for name, suite in builtin().items():
        shape = (f"{len(suite.tests):3} tests x seeds {list(suite.seeds)} x "
                 f"{','.join(suite.simulators)}" if not suite.parts else "composite")
        print(f"suite {name:11} {suite.runs():4} runs ({shape}): {suite.description}")
    for name in TESTS:
        print(name)
    return 0


def cmd_sim(args) -> int:
    from regress import activity, power_drift, power_record
    from tb import harness, registry
    window = activity.window_cycles(args.window, args.activity)
    spec = registry.get(args.test)
    if args.param:
        spec = registry.with_params(spec, dict(args.param))
    if args.seed < 0:
        raise ConfigError(f"--seed must be >= 0, got {args.seed}")
    baseline = (power_drift.load(power_drift.BASELINE)
                if window is not None and power_drift.BASELINE.exists() else {})
    waves = activity.wave_format(spec) if window is not None else args.waves
    result = harness.run(spec, args.seed, args.sim, waves=waves, code_coverage=args.code_coverage)
    if window is not None:
        power_record.measure(spec, result, window, keep_waves=args.waves)
        power_drift.judge(result, baseline, power_drift.DEFAULT_TOLERANCE_PCT)
    print(f"{result.status.upper()} {result.name} seed={result.seed} sim={result.simulator} "
          f"{result.duration_s:.1f} s, {result.sim_time_ns} ns simulated")
    if result.message:
        print(f"  {result.message}")
    print(f"  log: {result.log}")
    if args.waves:
        print(f"  waves: {result.waves or 'none written (see the log)'}")
    if args.code_coverage:
        print(f"  code coverage: {result.code_coverage or 'none written (see the log)'}")
    if window is not None and not _print_power(result):
        return 1
    return 0 if result.status == "pass" else 1


def _print_power(result) -> bool:
    """`pezo sim --activity`'s activity and power lines; False if either failed."""
    from regress import activity, power_drift, power_record
    print(f"  {activity.describe(result.activity)}")
    print(f"  {power_record.describe(result.power)}")
    if result.power.get("drift"):
        print(f"  {power_drift.describe(result.to_dict(), power_drift.DEFAULT_TOLERANCE_PCT)}")
    return "error" not in result.activity and "error" not in result.power


def cmd_regress(args) -> int:
    from regress import code_coverage_report, live_progress, regress_plan, report, runner
    signal.signal(signal.SIGTERM, _interrupt)  # a TERM ends the run as Ctrl-C does
    plan = regress_plan.plan(args)
    window, check = (_recorded_power(plan.meta) if plan.resumed
                     else _power_options(args, plan.name, plan.power_off))
    backend = regress_plan.backend(args)
    run_dir = plan.open()
    meta = {**plan.meta, "activity_window": window}
    where = f"Dask {backend.describe()}" if backend else f"{args.jobs or 'all'} parallel jobs"
    print(f"regression {run_dir.name}: {len(plan.jobs)} runs, {where}"
          + (f", activity and power in windows of {window} cycles" if window else ""))
    live = live_progress.for_terminal(len(plan.jobs), run_dir.name)
    try:
        data = runner.run_jobs(plan.jobs, run_dir, meta, args.jobs, activity_window=window,
                               power=check, backend=backend, previous=plan.previous, live=live,
                               progress=live.line if live else print)
    finally:
        if live:
            live.close()
        if backend:
            backend.close()
    print()
    print(report.summary(data))
    for line in report.failures(data):
        print(line)
    _power_summary(args, data, check)
    coverage_line = code_coverage_report.describe(data.get("code_coverage"), run_dir)
    if coverage_line:
        print(coverage_line)
    tot = data["totals"]
    print(f"\n{tot['pass']} passed, {tot['total'] - tot['pass']} failed")
    print(f"report: {run_dir / 'report.json'} (also report.md, junit.xml; "
          "build/regress/latest)")
    return 0 if tot["pass"] == tot["total"] else 1


def cmd_report(args) -> int:
    from regress import report_diff, runner
    a, b = (report_diff.load(run, runner.REGRESS_ROOT) for run in args.diff)
    d = report_diff.diff(a, b)
    print("\n".join(report_diff.lines(d, a, b)))
    return 1 if d["new_failures"] else 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _recorded_power(meta: dict):
    """A resumed run's power options: the activity window and baseline it started with."""
    from regress import power_drift, runner
    check = meta.get("power_check")
    if not check:
        return meta.get("activity_window"), None
    entries = power_drift.load(check["baseline"]) if os.path.exists(check["baseline"]) else {}
    return meta.get("activity_window"), runner.PowerCheck(entries, check["tolerance_pct"],
                                                          check["baseline"])


def _power_options(args, suite_name: str, power_off: str | None):
    """(activity window, PowerCheck) of `pezo regress`'s power options; (None, None) with
    --no-power or for a suite with `power_off`. ConfigError for a contradiction, a bad
    tolerance or an unreadable baseline."""
    from regress import activity, power_drift, runner
    given = [flag for flag, on in (("--activity", args.activity),
                                   ("--window", args.window is not None),
                                   ("--update-power-baseline", args.update_power_baseline),
                                   ("--power-baseline", args.power_baseline is not None)) if on]
    if args.no_power and given:
        raise ConfigError(f"--no-power turns the activity and power capture off; it "
                          f"contradicts {', '.join(given)}")
    if args.no_power:
        return None, None
    if power_off and not given:
        print(f"power capture off for suite {suite_name}: {power_off} "
              f"(--activity turns it on)")
        return None, None
    window = activity.window_cycles(args.window, True)
    tolerance = power_drift.check_tolerance(args.power_tolerance)
    args.power_baseline = args.power_baseline or power_drift.BASELINE
    new_file = args.update_power_baseline and not os.path.exists(args.power_baseline)
    entries = {} if new_file else power_drift.load(args.power_baseline)
    return window, runner.PowerCheck(entries, tolerance, str(args.power_baseline))


def _power_summary(args, data: dict, check) -> None:
    """Console lines: every drifted run, and the baseline written when asked."""
    from regress import power_drift
    if check is None:
        return
    for test in power_drift.flagged(data["tests"]):
        print(power_drift.describe(test, check.tolerance_pct))
    print(f"power: {power_drift.tally(data['tests'], check.describe())}")
    if args.update_power_baseline:
        count = power_drift.merge(args.power_baseline, data["tests"])
        print(f"power baseline: {count} entries written to {args.power_baseline}")


def cmd_rng(args) -> int:
    from ref_model import lfsr
    if args.seed == 0:
        raise ConfigError("seed 0 is the LFSR's lock-up state (the RTL substitutes ZERO_SUBST); "
                          "give a non-zero --seed")
    if args.count < 1:
        raise ConfigError(f"--count must be >= 1, got {args.count}")
    cfg = lfsr.LfsrConfig(state_w=args.state_w, out_w=args.out_w)
    digits = -(-cfg.out_w // 4)
    for word in lfsr.stream(cfg, args.seed, args.count):
        print(f"{int(word):0{digits}x}")
    return 0


def cmd_synth(args) -> int:
    if args.target == "sky130":
        from power import gate_synth as synth
    else:
        from regress import synth
    results = synth.run(args.bench)
    print(synth.table(results))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(synth.to_json(results), handle, indent=1)
    bad = [r for r in results if not r.ok]
    for r in bad:
        print(f"{r.name}: {'; '.join(r.problems)} (log {r.log})")
    return 1 if bad else 0


def cmd_toolchain(args) -> int:
    from tb import toolchain
    env = toolchain.activate()
    print(json.dumps(env, indent=1))
    for sim in SIMULATORS:
        try:
            toolchain.require(sim)
            print(f"{sim}: ok")
        except ToolchainError as exc:
            print(f"{sim}: {exc}")
    return 0


def build_parser() -> Parser:
    parser = Parser(prog="pezo", description="PeZO verification framework: RTL simulation, "
                    "regressions, and the ZO training reference model.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser,
                                metavar="COMMAND")

    p = sub.add_parser("list", help="list tests and suites")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("sim", help="run one test with one seed (rerun a failure bit-identically)")
    p.add_argument("test", help="test name, see `pezo list`")
    p.add_argument("--seed", type=int, default=1, help="test seed (default 1)")
    p.add_argument("--sim", choices=SIMULATORS, default="verilator")
    p.add_argument("--waves", action="store_true", help="dump FST waves (kept with --activity)")
    _add_code_coverage_option(p, "coverage.dat.gz beside the log")
    _add_activity_options(p)
    p.add_argument("--param", type=param, action="append", metavar="NAME=VALUE",
                   help="override an HDL parameter (validated like the RTL's checks)")
    p.set_defaults(func=cmd_sim)

    p = sub.add_parser("regress", help="run a regression suite and write reports")
    p.add_argument("--suite", default="default")
    p.add_argument("--seeds", type=int_list, help="comma-separated test seeds")
    p.add_argument("--random-seeds", type=int, metavar="N", help="draw N seeds from --master-seed")
    p.add_argument("--master-seed", type=int, default=2026, help="for --random-seeds (recorded)")
    p.add_argument("--sim", type=sim_list, help="comma-separated simulators")
    p.add_argument("--filter", action="append", help="only tests whose name contains this")
    p.add_argument("--jobs", "-j", type=int, help="parallel simulations (default: cores)")
    p.add_argument("--suite-file", metavar="FILE.toml",
                   help="the suite from a TOML file (regress/suite_file.py; instead of --suite)")
    p.add_argument("--resume", metavar="RUN",
                   help="run the jobs of RUN (build/regress/RUN or a path) that have no result, "
                        "into RUN")
    p.add_argument("--rerun-failed", metavar="RUN",
                   help="rerun RUN's failed jobs with their recorded seeds, as a new run")
    backend_options.add(p)
    _add_code_coverage_option(p, "every Verilator run of RTL, merged into coverage/merged.info "
                                 "and summarised per module in the report")
    _add_activity_options(p, "(on by default in a regression; --window alone sets it)")
    _add_power_options(p)
    p.set_defaults(func=cmd_regress)

    p = sub.add_parser("report", help="compare two regression runs")
    p.add_argument("--diff", nargs=2, metavar=("RUN_A", "RUN_B"), required=True,
                   help="new failures, fixed tests, coverage and power deltas from A to B")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("rng", help="print words of the uniform RNG's reference model")
    p.add_argument("--seed", type=lambda s: int(s, 0), required=True)
    p.add_argument("--count", type=int, default=16)
    p.add_argument("--state-w", type=int, default=32)
    p.add_argument("--out-w", type=int, default=16)
    p.set_defaults(func=cmd_rng)

    p = sub.add_parser("synth", help="yosys: LUT/FF counts (xilinx) or sky130 area, cells "
                       "and flops per bench variant")
    p.add_argument("--bench", help="only this bench (default: all)")
    p.add_argument("--target", choices=("xilinx", "sky130"), default="xilinx",
                   help="xilinx: synth_xilinx LUT/FF/BRAM/DSP (default); sky130: the "
                   "gate-level netlists (sky130_fd_sc_hd area in um^2, cells, flops)")
    p.add_argument("--json", help="also write the results as JSON here")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("toolchain", help="show the simulators the project uses")
    p.set_defaults(func=cmd_toolchain)

    ref_cli.add_parser(sub)
    _add_optional(sub, "regress.train_rtl")
    _add_optional(sub, "power.cli")
    _add_optional(sub, "regress.claims_cli")
    _add_optional(sub, "regress.testplan_cli")
    _add_optional(sub, "regress.mutate_cli")
    return parser


def _add_code_coverage_option(p, what: str) -> None:
    p.add_argument("--code-coverage", action="store_true",
                   help=f"Verilator line, branch, expression and toggle coverage: {what}")


def _add_activity_options(p, note: str = "") -> None:
    p.add_argument("--activity", action="store_true",
                   help="record FST waves and reduce them to toggle counts per signal bit "
                        "and window (activity.json, toggles.csv, activity.npz beside the log) "
                        "and to the run's power record (power.json) " + note)
    p.add_argument("--window", type=int, metavar="N",
                   help="clock cycles per activity window (default 1000)")


def _add_power_options(p) -> None:
    from regress import power_drift
    p.add_argument("--no-power", action="store_true",
                   help="no activity capture and no power records (faster)")
    p.add_argument("--power-baseline", metavar="FILE",
                   help="judge each run's power against this baseline (default "
                        "regress/power_baseline.json)")
    p.add_argument("--power-tolerance", type=float, metavar="PCT",
                   default=power_drift.DEFAULT_TOLERANCE_PCT,
                   help="flag a run whose power moved more than this from its baseline "
                        f"(default {power_drift.DEFAULT_TOLERANCE_PCT:g} percent)")
    p.add_argument("--update-power-baseline", action="store_true",
                   help="write the passing runs' power into the baseline (merged)")


def _add_optional(sub, module_name: str) -> None:
    """Commands of packages that may not be there yet register themselves."""
    import importlib
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return
    module.add_parser(sub)


def main(argv: list[str] | None = None) -> int:
    from power.cli import route
    args = build_parser().parse_args(route(list(sys.argv[1:] if argv is None else argv)))
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        print(f"pezo: error: --jobs must be >= 1, got {args.jobs}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except (ConfigError, ToolchainError) as exc:
        print(f"pezo: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("pezo: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
