"""Merged Verilator coverage points as an lcov tracefile (.info), the format genhtml, CI
services and editors read (`man geninfo`: SF, DA, LF, LH, BRDA, BRF, BRH per source file).

Lines (DA): every line a `line` or `branch` point covers (its own line and its S spans),
with the largest count of those points, as verilator_coverage --write-info counts a line;
toggle and expression points are left out of the line figure. Branches (BRDA): each
`branch` point (if/else, case arm, ?: side) is branch block 0 of its line, each `expr`
point (a condition term's value) block 1. lcov has no toggle type: toggles are a figure of
their own in the report (regress/code_coverage_report.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from regress.coverage_dat import Point

LINE_KINDS = ("line", "branch")
BRANCH_BLOCKS = {"branch": 0, "expr": 1}


def line_counts(points: dict[Point, int]) -> dict[str, dict[int, int]]:
    """file -> line -> count, over the points that cover lines."""
    out: dict[str, dict[int, int]] = {}
    for point, count in points.items():
        if point.kind not in LINE_KINDS:
            continue
        lines = out.setdefault(point.file, {})
        for line in point.lines():
            lines[line] = max(lines.get(line, 0), count)
    return out


def branch_counts(points: dict[Point, int]) -> dict[str, list[tuple[int, int, int, int]]]:
    """file -> (line, block, branch number, count) for every branch and expression point,
    numbered in column order within its line and block."""
    ordered = sorted((p for p in points if p.kind in BRANCH_BLOCKS),
                     key=lambda p: (p.file, p.line, BRANCH_BLOCKS[p.kind], p.column, p.comment,
                                    p.hier))
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    numbers: dict[tuple[str, int, int], int] = {}
    for point in ordered:
        block = BRANCH_BLOCKS[point.kind]
        slot = (point.file, point.line, block)
        numbers[slot] = numbers.get(slot, -1) + 1
        out.setdefault(point.file, []).append((point.line, block, numbers[slot], points[point]))
    return out


def records(points: dict[Point, int], test_name: str = "pezo") -> Iterable[str]:
    """The tracefile's lines, one record per source file."""
    lines, branches = line_counts(points), branch_counts(points)
    yield f"TN:{test_name}"
    for source in sorted(set(lines) | set(branches)):
        yield f"SF:{source}"
        for line, block, number, count in branches.get(source, []):
            yield f"BRDA:{line},{block},{number},{count}"
        found = branches.get(source, [])
        yield f"BRF:{len(found)}"
        yield f"BRH:{sum(1 for *_, count in found if count)}"
        counted = sorted(lines.get(source, {}).items())
        yield from (f"DA:{line},{count}" for line, count in counted)
        yield f"LF:{len(counted)}"
        yield f"LH:{sum(1 for _, count in counted if count)}"
        yield "end_of_record"


def write(points: dict[Point, int], path: Path, test_name: str = "pezo") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(records(points, test_name)) + "\n")
    return path
