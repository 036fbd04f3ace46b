"""A regression's code coverage: every run's coverage.dat merged (tests, seeds), written as
coverage/merged.info (lcov), rendered by genhtml into coverage/html/, and summarised per
RTL module for report.json, report.md and index.html: lines, branches and toggles hit of
found, and the lines no run reached (the holes)."""

from __future__ import annotations

import os
from pathlib import Path

from regress import coverage_dat, genhtml, lcov_info
from regress.coverage_dat import Point
from tb.harness import REPO, Result

COVERAGE_DIR = "coverage"
INFO_FILE = "merged.info"
# Points of these Verilator types are counted per module beside the lines
FIGURES = {"branches": "branch", "toggles": "toggle"}
HOLES_SHOWN = 12  # ranges of unhit lines in report.md per module (report.json has them all)


def summarise(run_dir: Path, results: list[Result]) -> dict | None:
    """Merge the runs' coverage.dat files, write the .info and its HTML; the summary
    (None when no run recorded code coverage)."""
    files = [Path(r.code_coverage) for r in results
             if r.code_coverage and Path(r.code_coverage).is_file()]
    if not files:
        return None
    points = coverage_dat.merge(files)
    out = run_dir / COVERAGE_DIR
    info = lcov_info.write(points, out / INFO_FILE, test_name=run_dir.name.replace("-", "_"))
    html, note = genhtml.run(info, out / "html", title=f"pezo {run_dir.name}")
    return {"runs": len(files), "info": _rel(info, run_dir),
            "html": _rel(html, run_dir) if html else None, "html_note": note,
            "modules": per_module(points)}


def per_module(points: dict[Point, int]) -> dict[str, dict]:
    """module -> its source files, [hit, found] of lines and of each figure, unhit lines."""
    by_module: dict[str, dict[Point, int]] = {}
    for point, count in points.items():
        by_module.setdefault(point.module or "(none)", {})[point] = count
    return {module: _module(own) for module, own in sorted(by_module.items())}


def _module(points: dict[Point, int]) -> dict:
    lines = lcov_info.line_counts(points)
    counted = [(source, line, n) for source, by_line in sorted(lines.items())
               for line, n in sorted(by_line.items())]
    summary = {"files": sorted({source_name(p.file) for p in points}),
               "lines": [sum(1 for *_, n in counted if n), len(counted)],
               "holes": [f"{source_name(source)}:{line}" for source, line, n in counted if not n]}
    for figure, kind in FIGURES.items():
        counts = [n for p, n in points.items() if p.kind == kind]
        summary[figure] = [sum(1 for n in counts if n), len(counts)]
    return summary


def source_name(path: str) -> str:
    """A source file relative to the repository when it is in it."""
    try:
        return str(Path(path).relative_to(REPO))
    except ValueError:
        return path


def _rel(path: Path, base: Path) -> str:
    return os.path.relpath(path, base)


def fraction(pair: list[int]) -> str:
    """`hit/found (percent)`; `-` when nothing was found."""
    hit, found = pair
    return f"{hit}/{found} ({100 * hit / found:.1f}%)" if found else "-"


def hole_ranges(holes: list[str], shown: int | None = None) -> str:
    """`file:line` holes as `file: 3, 7-9`, per file; the first `shown` ranges of each."""
    by_file: dict[str, list[int]] = {}
    for hole in holes:
        source, _, line = hole.rpartition(":")
        by_file.setdefault(source, []).append(int(line))
    parts = []
    for source, lines in by_file.items():
        ranges = _ranges(sorted(lines))
        more = len(ranges) - shown if shown is not None else 0
        text = ", ".join(ranges[:shown]) + (f" (+{more} more)" if more > 0 else "")
        parts.append(f"{source}: {text}")
    return "; ".join(parts)


def _ranges(lines: list[int]) -> list[str]:
    out: list[list[int]] = []
    for line in lines:
        if out and line == out[-1][1] + 1:
            out[-1][1] = line
        else:
            out.append([line, line])
    return [f"{a}" if a == b else f"{a}-{b}" for a, b in out]


def describe(summary: dict | None, run_dir: Path) -> str | None:
    """The console line of `pezo regress` (None when no run recorded code coverage)."""
    if not summary:
        return None
    hit = sum(m["lines"][0] for m in summary["modules"].values())
    found = sum(m["lines"][1] for m in summary["modules"].values())
    html = run_dir / summary["html"] if summary["html"] else summary["html_note"]
    return (f"code coverage: {summary['runs']} run(s) merged, lines {fraction([hit, found])} "
            f"over {len(summary['modules'])} modules: {run_dir / summary['info']}; HTML: {html}")


def markdown(summary: dict | None) -> list[str]:
    """report.md's section (nothing when the run recorded no code coverage)."""
    if not summary:
        return []
    head = (f"Verilator coverage of {summary['runs']} run(s), merged: lcov "
            f"[{summary['info']}]({summary['info']})"
            + (f", HTML [{summary['html']}]({summary['html']})" if summary["html"]
               else f" ({summary['html_note']})"))
    rows = ["| module | lines | branches | toggles | unhit lines |",
            "| --- | --- | --- | --- | --- |"]
    for module, m in summary["modules"].items():
        rows.append(f"| {module} | {fraction(m['lines'])} | {fraction(m['branches'])} | "
                    f"{fraction(m['toggles'])} | {hole_ranges(m['holes'], HOLES_SHOWN) or '-'} |")
    return ["", "## Code coverage per module (Verilator, merged over tests and seeds)", "",
            head, "", *rows]


# what templates/coverage_merged.html.j2 formats with
TEMPLATE_FILTERS = {"fraction": fraction, "hole_ranges": hole_ranges}
