"""Synthesis with yosys `synth_xilinx`: LUT/FF/BRAM counts and a lint of the result.

One run per (top, parameters) into build/synth/<top>-<key>/ (yosys.log, stat.json).
A run fails when yosys fails, a latch is inferred, or yosys warns about anything
but the benign messages listed in BENIGN. Counts are out-of-context (-noiopad).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ref_model.errors import ConfigError
from tb import registry, rtl_includes
from tb.harness import REPO

SYNTH_ROOT = REPO / "build" / "synth"
BENIGN = [
    re.compile(r"ABC: Warning: The network is combinational"),
    # yosys 0.23's own block-RAM mapping widens RAMB18E1 ports it instantiated itself
    re.compile(r"Warning: Resizing cell port \S+\.mem\.\d+\.\d+\."),
    re.compile(r"^Warnings: \d+ unique messages"),  # the summary of the lines above
]
# INV is listed apart: yosys keeps inverters as INV cells (the active-low async reset
# alone gives one per flop); vendor tools fold them into neighbouring LUTs and flops.
LUT_CELLS = re.compile(r"^LUT[1-6]$")
INV_CELLS = re.compile(r"^INV$")
FF_CELLS = re.compile(r"^FD[A-Z]*$")
LATCH_CELLS = re.compile(r"^(LD[A-Z]*|\$_DLATCH.*)$")
BRAM_CELLS = re.compile(r"^RAMB(18|36)")
LUTRAM_CELLS = re.compile(r"^RAM(32|64|128|256)")
DSP_CELLS = re.compile(r"^DSP48")


@dataclass
class SynthResult:
    name: str
    top: str
    params: dict
    ok: bool
    luts: int = 0
    invs: int = 0
    ffs: int = 0
    brams: int = 0
    lutrams: int = 0
    dsps: int = 0
    cells: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    log: str = ""


def targets(bench: str | None = None) -> dict[str, tuple]:
    """name -> (top, sources, params): one per bench parameter variant."""
    out = {}
    for spec in registry.TESTS.values():
        if bench and spec.bench.name != bench:
            continue
        out.setdefault(f"{spec.bench.name}.{spec.variant}",
                       (spec.bench.toplevel, spec.bench.sources, spec.params))
    if not out:
        raise ConfigError(f"unknown bench '{bench}'; choose one of {', '.join(registry.BENCHES)}")
    return out


def require_yosys() -> None:
    if shutil.which("yosys") is None:
        raise ConfigError("yosys is not installed: run `make setup` (Debian package 'yosys')")


def design_key(top: str, sources, params: dict, *extra: str) -> str:
    """Cache key of one synthesis: top, parameters, source contents (and `extra`)."""
    return hashlib.sha256(json.dumps([top, sorted(params.items()), *extra]).encode()
                          + b"".join((REPO / s).read_bytes() for s in sources)
                          + rtl_includes.headers_digest()).hexdigest()[:12]


def read_design(top: str, sources, params: dict) -> str:
    """yosys commands that read the sources and set every parameter."""
    # one chparam for all: each chparam re-elaborates, and the RTL's checks see
    # a half-changed parameter set otherwise
    sets = " ".join(f"-set {k} {v}" for k, v in sorted(params.items()))
    chparams = f"chparam {sets} {top};" if params else ""
    includes = " ".join(f"-I{path}" for path in rtl_includes.include_dirs())
    return f"read_verilog -sv {includes} {' '.join(str(REPO / s) for s in sources)}; {chparams}"


def run_yosys(script: str, work: Path) -> tuple[int, Path]:
    """Run a yosys script in `work`; (exit status, log)."""
    log = work / "yosys.log"
    with open(log, "w") as handle:
        proc = subprocess.run(["yosys", "-p", script], stdout=handle, stderr=subprocess.STDOUT,
                              cwd=work)
    return proc.returncode, log


def log_problems(log: Path, benign=BENIGN) -> list[str]:
    """Latch messages and warnings in a yosys log that are not listed as benign."""
    return [line.strip()[:200] for line in log.read_text(errors="replace").splitlines()
            if "Latch inferred" in line
            or ("Warning" in line and not any(b.search(line) for b in benign))]


def synthesize(name: str, top: str, sources, params: dict) -> SynthResult:
    require_yosys()
    work = SYNTH_ROOT / f"{top}-{design_key(top, sources, params)}"
    work.mkdir(parents=True, exist_ok=True)
    script = (f"{read_design(top, sources, params)} "
              f"synth_xilinx -top {top} -noiopad; flatten; "
              # flattened after mapping: the cells stay, and yosys 0.23 writes valid JSON
              f"tee -q -o {work / 'stat.json'} stat -json")
    status, log = run_yosys(script, work)
    result = SynthResult(name, top, params, ok=False, log=str(log))
    if status != 0:
        result.problems.append(f"yosys exited {status}")
        return result
    cells = json.loads((work / "stat.json").read_text())["design"]["num_cells_by_type"]
    result.cells = cells

    def count(pattern) -> int:
        return sum(n for c, n in cells.items() if pattern.match(c))

    result.luts, result.invs, result.ffs = count(LUT_CELLS), count(INV_CELLS), count(FF_CELLS)
    result.brams, result.lutrams, result.dsps = (count(BRAM_CELLS), count(LUTRAM_CELLS),
                                                 count(DSP_CELLS))
    if count(LATCH_CELLS):
        result.problems.append(f"{count(LATCH_CELLS)} latch cell(s) inferred")
    result.problems += log_problems(log)
    result.ok = not result.problems
    return result


def run(bench: str | None = None) -> list[SynthResult]:
    return [synthesize(name, *target) for name, target in targets(bench).items()]


def table(results: list[SynthResult]) -> str:
    return markdown(["target", "top", "LUT", "INV", "FF", "BRAM", "LUTRAM", "DSP", "ok"],
                    [[r.name, r.top, r.luts, r.invs, r.ffs, r.brams, r.lutrams, r.dsps,
                      verdict(r)] for r in results])


def markdown(columns: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    return "\n".join(lines + ["| " + " | ".join(str(v) for v in row) + " |" for row in rows])


def verdict(result) -> str:
    """The `ok` column: yes, or the problems."""
    return "yes" if result.ok else "NO: " + "; ".join(result.problems)[:150]


def to_json(results: list[SynthResult]) -> list[dict]:
    return [asdict(r) for r in results]
