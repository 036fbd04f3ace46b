"""The vendored sky130_fd_sc_hd liberty, prepared for yosys and for gate-level simulation.

prepare() makes, once per liberty (keyed by the file's hash) under build/pdk/<hash>/:

- `liberty.lib`: an uncompressed working copy in which the cells the flow must never pick
  carry `dont_use : true;` (yosys 0.23's abc has no -dont_use option; abc and dfflibmap
  both honour the attribute). DONT_USE says which cells and why; a cell yosys writes no
  simulation model for is marked as well.
- `cells.v`: simulation models of the cells, written by yosys itself from the liberty's
  function strings (`read_liberty -ignore_miss_func; write_verilog -noattr`): the same
  Boolean functions abc mapped to, no timing. They simulate on Icarus and Verilator.
- `cells.json`: name, area (um^2), kind (comb | ff | latch | none) and dont_use of every cell.

The vendored file is pdk/sky130_fd_sc_hd/sky130_fd_sc_hd__tt_025C_1v80.lib.gz (pdk/README.md);
PEZO_LIBERTY names another one. A missing or malformed liberty is one ConfigError line.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ref_model.errors import ConfigError
from tb.harness import REPO, locked

LIBERTY = REPO / "pdk" / "sky130_fd_sc_hd" / "sky130_fd_sc_hd__tt_025C_1v80.lib.gz"
LIBERTY_ENV = "PEZO_LIBERTY"
PDK_ROOT = REPO / "build" / "pdk"
PDK_VERSION = "1"  # bump when the working copy or the models are made differently
PREFIX = "sky130_fd_sc_hd__"
# Constants become tie cells: hilomap -hicell CELL HI -locell CELL LO (one cell per bit)
TIE_CELL, TIE_HI, TIE_LO = PREFIX + "conb_1", "HI", "LO"

# Cells abc and dfflibmap must never pick: (pattern on the name after PREFIX, why).
DONT_USE = (
    (r"lpflow_\w+", "multi-power-domain cells: isolation, level shifters, keep-alive-power "
                    "clock buffers and decaps, bleeder; this design has one power domain"),
    (r"probec?_p_\d+", "probe-point cells (metal on every layer), for debug only"),
    (r"(clkbuf|clkinv|clkinvlp|clkdlybuf4s\d+)_\d+", "clock-tree cells: logic uses buf/inv"),
    (r"(dlygate4sd\d|dlymetal6s\ds)_\d+", "delay cells for hold fixing, not logic"),
    (r"s?dlclkp_\d+", "integrated clock gates: no clock gating here, and yosys writes no "
                      "model for them"),
    (r"(sdf|sedf|edf)\w+", "scan and enable flops: no scan chain here; yosys 0.23's "
                           "dfflibmap cannot read their next_state and warns on each"),
    (r"(ebufn|einvn|einvp)_\d+", "tri-state drivers: no tri-state buses here"),
    (r"(decap|diode|fill|tapvpwrvgnd)\w*", "physical-only cells with no logic function"),
    (r"macro_sparecell", "spare-cell macro"),
)
_DONT_USE = re.compile("|".join(f"(?:{p})" for p, _ in DONT_USE))
_CELL = re.compile(r'^[ \t]*cell[ \t]*\([ \t]*"?([A-Za-z0-9_]+)"?[ \t]*\)[ \t]*\{', re.M)
_AREA = re.compile(r"^\s*area\s*:\s*([0-9.eE+-]+)\s*;", re.M)
_KIND = (("ff", re.compile(r"^\s*ff\s*\(", re.M)),
         ("latch", re.compile(r"^\s*latch\s*\(", re.M)),
         ("statetable", re.compile(r"^\s*statetable\s*\(", re.M)))
_FUNCTION = re.compile(r"^\s*function\s*:", re.M)


@dataclass(frozen=True)
class Cell:
    name: str
    area: float  # um^2
    kind: str    # comb | ff | latch | statetable | none (no output function: physical cells)
    dont_use: bool


@dataclass(frozen=True)
class Pdk:
    """The prepared library: where its working copy and models are, and its cells."""

    source: Path    # the liberty as given (.lib or .lib.gz)
    digest: str     # hash of `source`: the key of every cached product made from it
    liberty: Path   # working copy with dont_use marks: give this one to yosys
    cells_v: Path   # yosys-written simulation models
    cells: tuple[Cell, ...]

    def cell(self, name: str) -> Cell | None:
        return self.by_name().get(name)

    def by_name(self) -> dict[str, Cell]:
        return {c.name: c for c in self.cells}

    def usable(self) -> set[str]:
        return {c.name for c in self.cells if not c.dont_use}

    def sequential(self) -> set[str]:
        return {c.name for c in self.cells if c.kind in ("ff", "latch", "statetable")}


def liberty_path() -> Path:
    """The liberty the flow uses: $PEZO_LIBERTY, or the vendored one."""
    return Path(os.environ.get(LIBERTY_ENV) or LIBERTY)


def liberty_hash(path: Path | None = None) -> str:
    """Hash of the liberty file (with the preparation's version): the cache key."""
    path = Path(path or liberty_path())
    if not path.is_file():
        raise ConfigError(f"liberty {path} not found: the gate-level flow needs the sky130 "
                          f"liberty (see pdk/README.md), or set {LIBERTY_ENV}")
    stat = path.stat()
    return _hash(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _hash(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256(PDK_VERSION.encode())
    digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def prepare(path: Path | None = None) -> Pdk:
    """The working copy, models and cell table of `path` (default: liberty_path()), cached."""
    path = Path(path or liberty_path())
    digest = liberty_hash(path)
    return _prepare(str(path.resolve()), digest)


@lru_cache(maxsize=8)
def _prepare(path: str, digest: str) -> Pdk:
    work = PDK_ROOT / digest
    pdk = Pdk(Path(path), digest, work / "liberty.lib", work / "cells.v", ())
    with locked(PDK_ROOT / f".{digest}.lock"):
        if not (work / "ok").exists():
            work.mkdir(parents=True, exist_ok=True)
            _make(Path(path), work, pdk)
            (work / "ok").write_text(digest)
    cells = tuple(Cell(**c) for c in json.loads((work / "cells.json").read_text()))
    return Pdk(pdk.source, digest, pdk.liberty, pdk.cells_v, cells)


def _make(source: Path, work: Path, pdk: Pdk) -> None:
    text = _read(source)
    cells = _parse_cells(text, source)
    preset = {c.name for c in cells if c.dont_use and not _DONT_USE.fullmatch(_short(c.name))}
    original = work / "original.lib"
    original.write_text(text)
    _write_models(original, pdk.cells_v, work / "yosys.log", source)
    original.unlink()
    modelled = set(re.findall(r"^module (\w+)\(", pdk.cells_v.read_text(), re.M))
    cells = [Cell(c.name, c.area, c.kind, c.dont_use or c.name not in modelled) for c in cells]
    marked = {c.name for c in cells if c.dont_use}
    pdk.liberty.write_text(_CELL.sub(
        lambda m: m.group(0) + ("\n        dont_use : true;" if m.group(1) in marked - preset
                                else ""), text))
    (work / "cells.json").write_text(json.dumps([c.__dict__ for c in cells], indent=0))
    (work / "dont_use.txt").write_text("".join(f"{n}\n" for n in sorted(marked)))


def _read(source: Path) -> str:
    try:
        raw = source.read_bytes()
        data = gzip.decompress(raw) if source.suffix == ".gz" else raw
        return data.decode("utf-8")
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        raise ConfigError(f"liberty {source} is malformed: cannot read it ({exc})") from None


def _parse_cells(text: str, source: Path) -> list[Cell]:
    """Name, area, kind and dont_use of every cell (a light scan, not a Liberty parser)."""
    if not re.match(r"\s*(/\*.*?\*/\s*)*library\s*\(", text, re.S):
        raise ConfigError(f"liberty {source} is malformed: it does not start with library (...)")
    heads = list(_CELL.finditer(text))
    if not heads:
        raise ConfigError(f"liberty {source} is malformed: it defines no cell")
    cells = []
    for head, nxt in zip(heads, heads[1:] + [None], strict=True):
        body = text[head.end():nxt.start() if nxt else len(text)]
        name, area = head.group(1), _AREA.search(body)
        if area is None:
            raise ConfigError(f"liberty {source} is malformed: cell {name} has no area")
        kind = next((k for k, pattern in _KIND if pattern.search(body)),
                    "comb" if _FUNCTION.search(body) else "none")
        attributes = body.split("pin", 1)[0]  # the cell's own, before its first (pg_)pin
        cells.append(Cell(name, float(area.group(1)), kind,
                          bool(_DONT_USE.fullmatch(_short(name))) or "dont_use" in attributes))
    return cells


def _short(name: str) -> str:
    return name[len(PREFIX):] if name.startswith(PREFIX) else name


def _write_models(liberty: Path, cells_v: Path, log: Path, source: Path) -> None:
    if shutil.which("yosys") is None:
        raise ConfigError("yosys is not installed: run `make setup` (Debian package 'yosys')")
    script = f"read_liberty -ignore_miss_func {liberty}; write_verilog -noattr {cells_v}"
    with open(log, "w") as handle:
        proc = subprocess.run(["yosys", "-p", script], stdout=handle, stderr=subprocess.STDOUT)
    if proc.returncode != 0 or not cells_v.exists():
        errors = [line for line in log.read_text(errors="replace").splitlines()
                  if "ERROR" in line]
        raise ConfigError(f"liberty {source} is malformed: yosys cannot read it "
                          f"({errors[0].strip() if errors else f'exit {proc.returncode}'}; "
                          f"log {log})")

