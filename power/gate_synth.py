"""yosys synthesis of one design configuration to sky130_fd_sc_hd standard cells.

One run per (top, sources, HDL parameters, liberty, FLOW_VERSION) into
build/gl/<top>-<key>/: netlist.v (for simulation: the same pyuvm tests drive it) and
netlist.json (for the power engine), both written after `rename -enumerate` so their
names agree; stat.json (cell counts, area from the liberty), yosys.log, result.json.

The flow (SCRIPT): read and chparam as regress/synth.py; `synth -flatten`; dfflibmap and
abc onto the working liberty of power/pdk.py (special cells marked dont_use); constants
to sky130_fd_sc_hd__conb_1 tie cells (hilomap, one per constant bit, as OpenLane does);
internal multi-bit wires split into single-bit nets (ports keep their RTL names and
widths); unused wires purged. The pool's RAM becomes flops (there is no RAM macro).

A run fails (ok False, `problems`) when yosys fails, a latch is inferred, the netlist holds
a cell that is not a usable liberty cell (a yosys-internal `$_..._` cell, a dont_use cell),
or yosys warns about anything but BENIGN.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from power import pdk as pdk_mod
from regress import synth as xsynth
from tb.harness import REPO, TestSpec, locked

GL_ROOT = REPO / "build" / "gl"
FLOW_VERSION = "2"  # bump when SCRIPT changes: invalidates every cached netlist
BENIGN = [
    re.compile(r"ABC: Warning: The network is combinational"),
    # abc maps to single-output cells only; it says so about fa/ha/conb
    re.compile(r"ABC: Warning: Detected \d+ multi-output gates"),
    re.compile(r"^Warnings: \d+ unique messages"),  # the summary of the lines above
]
SCRIPT = (
    "{read} synth -top {top} -flatten; "
    "dfflibmap -liberty {lib}; abc -liberty {lib}; opt_clean; "
    "setundef -zero; hilomap -hicell {tie} {hi} -locell {tie} {lo}; "
    # split bits named x_3_, not x[3]: escaped bit-named nets confuse wave readers
    "splitnets -format __; opt_clean -purge; rename -enumerate; "
    # the used cells as blackboxes with port directions: `check` sees their drivers, and
    # netlist.json gives every cell instance its port_directions
    "read_liberty -lib {lib}; hierarchy -top {top} -purge_lib; check; "
    "tee -q -o {work}/stat.json stat -json -liberty {lib}; stat -liberty {lib}; "
    "write_verilog -noattr {work}/netlist.v; write_json {work}/netlist.json"
)


@dataclass
class GateResult:
    """One design configuration on sky130: its netlists, area and cells."""

    name: str          # <bench>.<variant>
    top: str
    params: dict
    ok: bool
    verilog: str = ""  # netlist.v: simulate with the pdk's cells.v
    json: str = ""     # netlist.json: the same netlist, same names (yosys write_json)
    area_um2: float = 0.0
    cells: dict = field(default_factory=dict)  # cell type -> count
    flops: int = 0
    liberty: str = ""       # the working liberty synthesized against
    liberty_hash: str = ""
    seconds: float = 0.0    # wall time of the yosys run that made it
    log: str = ""
    problems: list = field(default_factory=list)

    @property
    def n_cells(self) -> int:
        return sum(self.cells.values())


class GateSynthError(RuntimeError):
    """A design did not synthesize clean; the message names the problems and the log."""


def synth_key(top: str, sources, params: dict, liberty_hash: str | None = None) -> str:
    """The cache key of a netlist: sources, parameters, liberty hash, flow version."""
    return xsynth.design_key(top, sources, params, "sky130",
                             liberty_hash or pdk_mod.liberty_hash(), FLOW_VERSION)


def synthesize(name: str, top: str, sources, params: dict) -> GateResult:
    """Synthesize (or reuse the cached netlist of) one configuration; never raises for
    a design that maps unclean (see `problems`); ConfigError for a tool or liberty problem."""
    xsynth.require_yosys()
    lib = pdk_mod.prepare()
    work = GL_ROOT / f"{top}-{synth_key(top, sources, params, lib.digest)}"
    with locked(GL_ROOT / f".{work.name}.lock"):
        cached = work / "result.json"
        if cached.exists():
            return GateResult(**{**json.loads(cached.read_text()), "name": name})
        work.mkdir(parents=True, exist_ok=True)
        result = _run(name, top, sources, params, lib, work)
        if result.verilog:  # yosys finished: the verdict is the design's, keep it
            cached.write_text(json.dumps(asdict(result), indent=1))
    return result


def _run(name, top, sources, params, lib: pdk_mod.Pdk, work: Path) -> GateResult:
    start = time.monotonic()
    script = SCRIPT.format(read=xsynth.read_design(top, sources, params), top=top,
                           lib=lib.liberty, tie=pdk_mod.TIE_CELL, hi=pdk_mod.TIE_HI,
                           lo=pdk_mod.TIE_LO, work=work)
    status, log = xsynth.run_yosys(script, work)
    result = GateResult(name, top, params, ok=False, liberty=str(lib.liberty),
                        liberty_hash=lib.digest, log=str(log),
                        seconds=round(time.monotonic() - start, 2))
    if status != 0:
        result.problems.append(f"yosys exited {status}")
        return result
    stat = json.loads((work / "stat.json").read_text())
    result.cells = dict(sorted(stat["design"]["num_cells_by_type"].items()))
    area = re.search(r"Chip area for module .*: ([0-9.]+)", log.read_text(errors="replace"))
    if area is None:
        result.problems.append("yosys stat printed no chip area")
    result.area_um2 = round(float(area.group(1)), 4) if area else 0.0
    result.verilog, result.json = str(work / "netlist.v"), str(work / "netlist.json")
    result.flops = sum(n for c, n in result.cells.items()
                       if lib.cell(c) is not None and lib.cell(c).kind == "ff")
    latches = [c for c in result.cells if "DLATCH" in c
               or (lib.cell(c) is not None and lib.cell(c).kind == "latch")]
    if latches:
        result.problems.append(f"latch cell(s) inferred: {', '.join(latches)}")
    foreign = sorted(set(result.cells) - lib.usable())
    if foreign:
        result.problems.append(f"cell(s) not usable from the liberty: {', '.join(foreign)}")
    result.problems += xsynth.log_problems(log, BENIGN)
    result.ok = not result.problems
    return result


def for_spec(spec: TestSpec) -> GateResult:
    """The clean sky130 netlist of a test's design (the RTL or the gl twin, the same
    design); GateSynthError when it does not map clean."""
    result = synthesize(f"{spec.bench.name}.{spec.variant}", spec.bench.toplevel,
                        spec.bench.sources, spec.params)
    if not result.ok:
        raise GateSynthError(f"sky130 synthesis of {result.name} failed: "
                             f"{'; '.join(result.problems)[:300]} (log {result.log})")
    return result


def netlist_paths(spec: TestSpec) -> tuple[Path, Path]:
    """(netlist.v, netlist.json) of a test's design, synthesized on first use."""
    result = for_spec(spec)
    return Path(result.verilog), Path(result.json)


def run(bench: str | None = None) -> list[GateResult]:
    """Every bench variant (or one bench's) on sky130, as `pezo synth --target sky130`."""
    return [synthesize(name, *target) for name, target in xsynth.targets(bench).items()]


def table(results: list[GateResult]) -> str:
    return xsynth.markdown(["target", "top", "area (um^2)", "cells", "flops", "ok"],
                           [[r.name, r.top, f"{r.area_um2:,.1f}", f"{r.n_cells:,}",
                             f"{r.flops:,}", xsynth.verdict(r)] for r in results])


to_json = xsynth.to_json
