"""The Markdown test plans in docs/, generated from the testplans (regress/testplan.py).

Each plan's section sits in its `doc` between two marker comments,
`<!-- testplan:<bench> begin ... -->` and `<!-- testplan:<bench> end -->`; the rest of the
doc is hand-written. `python -m regress.testplan_doc --write` rewrites the sections;
`--check` (run by `make lint`) writes nothing and exits 1 naming every stale doc.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ref_model.errors import ConfigError
from regress import testplan

COMMAND = "python -m regress.testplan_doc --write"


def begin_marker(bench: str) -> str:
    return f"<!-- testplan:{bench} begin"


def end_marker(bench: str) -> str:
    return f"<!-- testplan:{bench} end -->"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _code(items: tuple[str, ...]) -> str:
    return "<br>".join(f"`{i}`" for i in items) or "-"


def section(plan: testplan.Testplan) -> str:
    """The plan's generated section, markers included."""
    rows = [f"{begin_marker(plan.bench)}: generated from {plan.file} by `{COMMAND}`; "
            "edit that file -->",
            f"Testplan `{plan.file}` (status of a run: `pezo testplan --run RUN`, and in its "
            "report):", "",
            "| entry | stimulus | checks | tests | coverage points |",
            "| --- | --- | --- | --- | --- |"]
    for e in plan.entries:
        suite = "" if e.suite == testplan.DEFAULT_SUITE else f" (suite `{e.suite}`)"
        rows.append(f"| `{e.name}` | {_cell(e.stimulus)} | {_cell(e.checks)} | "
                    f"{_code(e.tests)}{suite} | {_code(e.coverage)} |")
    if plan.checks:
        rows += ["", "Checked by pytest, outside a regression run:", "",
                 "| check | stimulus | checks | pytest |", "| --- | --- | --- | --- |"]
        rows += [f"| `{c.name}` | {_cell(c.stimulus)} | {_cell(c.checks)} | {_code(c.pytest)} |"
                 for c in plan.checks]
    return "\n".join(rows + [end_marker(plan.bench)])


def updated(text: str, plan: testplan.Testplan, doc: str) -> str:
    """`text` (the doc) with the plan's section regenerated."""
    pattern = re.compile(re.escape(begin_marker(plan.bench)) + r".*?"
                         + re.escape(end_marker(plan.bench)), re.DOTALL)
    if len(pattern.findall(text)) != 1:
        raise ConfigError(f"{doc}: needs one '{begin_marker(plan.bench)} ... -->' ... "
                          f"'{end_marker(plan.bench)}' section for {plan.file}")
    return pattern.sub(lambda _: section(plan), text)


def generated() -> dict[Path, tuple[str, str]]:
    """doc path -> (its text now, its text with every section regenerated)."""
    out: dict[Path, tuple[str, str]] = {}
    for plan in testplan.load_all().values():
        now, new = out.get(plan.doc) or (plan.doc.read_text(),) * 2
        out[plan.doc] = (now, updated(new, plan, testplan.shown(plan.doc)))
    return out


def stale() -> list[str]:
    """The docs whose test plan sections differ from their plans."""
    return [testplan.shown(p) for p, (now, new) in generated().items() if now != new]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m regress.testplan_doc",
                                 description="the docs' test plan sections from the testplans")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 naming every doc that is out of date")
    ap.add_argument("--write", action="store_true", help="rewrite the sections")
    args = ap.parse_args(argv)
    try:
        if args.check:
            docs = stale()
            for doc in docs:
                print(f"{doc}: test plan out of date; run `{COMMAND}`", file=sys.stderr)
            return 1 if docs else 0
        if not args.write:
            ap.error("give --write or --check")
        for path, (now, new) in generated().items():
            if now != new:
                path.write_text(new)
                print(f"wrote {testplan.shown(path)}")
    except ConfigError as exc:
        print(f"testplan_doc: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
