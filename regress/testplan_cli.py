"""`pezo testplan [--run RUN]`: validate every bench's testplan (tb/<bench>/testplan.toml);
with a run, each entry's status in it (regress/testplan_status.py)."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("testplan", help="check the testplans; with --run, their status in a run")
    p.add_argument("--run", metavar="RUN",
                   help="a regression run (build/regress/RUN or a path): met, failing or not "
                        "covered per entry (exit status 1 if one is failing)")
    p.set_defaults(func=cmd_testplan)


def cmd_testplan(args) -> int:
    from regress import report_diff, runner, testplan, testplan_status
    plans = testplan.load_all()
    if not args.run:
        for plan in plans.values():
            print(f"{plan.bench}: {len(plan.entries)} entries, {len(plan.checks)} pytest "
                  f"checks ({plan.file}, docs: {testplan.shown(plan.doc)})")
        return 0
    data = report_diff.load(args.run, runner.REGRESS_ROOT)
    status = testplan_status.for_run(data["tests"], data.get("suite", ""))
    print("\n".join(testplan_status.lines(status)))
    return 1 if any(p["counts"][testplan_status.FAILING] for p in status["plans"]) else 0
