"""`pezo mutate <bench>`: the command line of a mutation campaign (regress/mutate_campaign.py)."""

from __future__ import annotations

from tb.toolchain import SIMULATORS

DEFAULT_COUNT = 50


def add_parser(sub) -> None:
    p = sub.add_parser("mutate", help="mutation coverage: yosys mutants of a block, the "
                       "bench's tests on each, kill rate and survivors (a named campaign)")
    p.add_argument("bench", help="the block bench (lfsr, pool, scale, array, gauss, train)")
    p.add_argument("--count", type=int, default=DEFAULT_COUNT,
                   help=f"mutants to sample (default {DEFAULT_COUNT})")
    p.add_argument("--seed", type=int, default=1,
                   help="seed of yosys's sampling and of every test run (default 1)")
    p.add_argument("--variant", help="the bench's parameter variant (default: its smoke test's)")
    p.add_argument("--tests", type=_names,
                   help="comma-separated test classes in the order each mutant runs them "
                        "(default: the smoke test, then the bench's other tests)")
    p.add_argument("--sim", default="verilator", choices=[s for s in SIMULATORS
                                                          if s != "verilator-sc"])
    p.add_argument("--jobs", type=int, default=1, help="mutants run in parallel (default 1)")
    p.add_argument("--recheck", action="store_true",
                   help="no simulation: prove the latest campaign's unkilled mutants "
                        "equivalent again (regress/mutate_recheck.py)")
    p.add_argument("--record", action="store_true",
                   help="keep the result as docs/mutation/<bench>.json and regenerate "
                        "docs/mutation.md (the latest kill rate per block)")
    p.set_defaults(func=cmd_mutate)


def _names(text: str) -> list[str]:
    import argparse
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise argparse.ArgumentTypeError("the list of tests is empty")
    return names


def _printer():
    """A progress printer the campaign's worker threads share: whole lines only."""
    import sys
    import threading
    lock = threading.Lock()

    def say(line: str) -> None:
        with lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
    return say


def cmd_mutate(args) -> int:
    from regress import mutate_campaign, mutate_recheck, mutate_record
    campaign = mutate_campaign.plan(args.bench, args.count, args.seed, args.variant,
                                    args.tests, args.sim, args.jobs)
    if args.recheck:
        summary = mutate_recheck.recheck(args.bench, args.jobs)
    else:
        summary = mutate_campaign.run(campaign, progress=_printer())
    print(mutate_record.headline(summary))
    print(f"report: {mutate_campaign.MUTATE_ROOT / args.bench / summary['campaign'] / 'report.md'}")
    if args.record:
        print(f"recorded: {mutate_record.record(summary)}")
    return 0
