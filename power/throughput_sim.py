"""The equal-throughput stimulus: power/tb/pezo_perturb_tb.v on Icarus, RTL or netlist.

One compile per (configuration, level) and one vvp run per seed. The seeds of a run are
`ref_model.sources.derived_seeds(seed, PERTURBATIONS, ...)` written to seeds.hex (the pool's
fill seed, or one seed per RNG-array generator), so every number flows from `seed`.
The testbench counts what it delivers; `SimRun` holds its PASS and SUMMARY lines.
"""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from power import pdk
from power.throughput_config import Config
from ref_model.errors import ConfigError
from ref_model.source_table import SeedStream
from ref_model.sources import derived_seeds
from tb import harness, rtl_includes, toolchain

TESTBENCH = Path(__file__).parent / "tb" / "pezo_perturb_tb.v"
TB_TOP = "pezo_perturb_tb"
SCOPE = f"{TB_TOP}.dut"
CLOCK_PERIOD_S = 10e-9  # the testbench's 100 MHz clock
WIDE = ("TAPS", "ZERO_SUBST")  # [63:0] parameters of the RTL
SUMMARY = re.compile(r"^SUMMARY steps=(\d+) d=(\d+) numbers=(\d+) beats=(\d+) cycles=(\d+)$",
                     re.MULTILINE)
PASS = re.compile(r"^PASS step=(\d+) use=(\d+) numbers=(\d+) hash=([0-9a-f]+)$", re.MULTILINE)


@dataclass
class SimRun:
    """What one run delivered, as the testbench counted it."""

    steps: int
    d: int
    numbers: int
    beats: int
    cycles: int                   # clock cycles from the first step to the end
    hashes: list[str]             # one per step (its three passes agree)
    waves: Path | None
    seconds: float


def seed_words(cfg: Config, seed: int) -> list[int]:
    """The generator seeds of run `seed`: one per pool or per array generator."""
    count = 1 if cfg.kind == "pool" else cfg.lanes
    words = -(-cfg.state_w // 32)
    raw = derived_seeds(seed, SeedStream.PERTURBATIONS, count * words)
    return [sum(int(raw[i * words + j]) << (32 * j) for j in range(words)) % (1 << cfg.state_w)
            for i in range(count)]


def _defines(cfg: Config, gate_level: bool) -> list[str]:
    params = ", ".join(f".{k}({harness.hdl_literal(v, k in WIDE)})"
                       for k, v in sorted(cfg.params.items()))
    out = [f"-DDUT={cfg.top}", f"-DDUT_PARAMS={params}"]
    out += ["-DPEZO_POOL"] if cfg.kind == "pool" else []
    out += ["-DPEZO_SCALED"] if cfg.scale else []
    return out + (["-DGATE_LEVEL"] if gate_level else [])


def _tb_parameters(cfg: Config) -> list[str]:
    values = {"LANES": cfg.lanes, "OUT_W": cfg.out_w, "STATE_W": cfg.state_w,
              "IDX_W": max(1, (cfg.lanes - 1).bit_length())}
    if cfg.scale:
        en, neg, shift = cfg.scale
        values |= {"TERMS": cfg.params["TERMS"], "SHIFT_W": cfg.params["SHIFT_MAX"].bit_length(),
                   "SCALE_EN": en, "SCALE_NEG": neg, "SCALE_SHIFT": shift}
    return [f"-P{TB_TOP}.{k}={v}" for k, v in values.items()]


def compile_bench(cfg: Config, out: Path, netlist: Path | None = None) -> Path:
    """The vvp of the testbench around the RTL (netlist None) or a sky130 netlist."""
    toolchain.require("icarus")
    out.mkdir(parents=True, exist_ok=True)
    if netlist is None:
        sources = [harness.REPO / f for f in cfg.rtl_files]
    else:
        sources = [netlist, pdk.prepare().cells_v]
    includes = [f"-I{p}" for p in rtl_includes.include_dirs()]
    vvp = out / "bench.vvp"
    cmd = ["iverilog", "-g2012", "-o", str(vvp), "-s", TB_TOP, *includes,
           *_defines(cfg, netlist is not None), *_tb_parameters(cfg), str(TESTBENCH),
           *map(str, sources)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ConfigError(f"iverilog failed for {cfg.name}: {proc.stderr.strip()[:300]}")
    return vvp


def run(cfg: Config, vvp: Path, seed: int, out: Path, waves: str | None,
        depth: int = 0) -> SimRun:
    """One seed: seeds.hex, vvp, the testbench's counts; waves 'fst'|'vcd'|None."""
    out.mkdir(parents=True, exist_ok=True)
    digits = -(-cfg.state_w // 4)
    (out / "seeds.hex").write_text("".join(f"{s:0{digits}x}\n" for s in seed_words(cfg, seed)))
    wave_file = out / f"waves.{waves}" if waves else None
    cmd = ["vvp", "-n", str(Path(vvp).resolve())] + ([f"-{waves}"] if waves else [])
    cmd += [f"+steps={cfg.steps}", f"+d={cfg.d}", f"+depth={depth}"]
    cmd += [f"+waves={wave_file.name}"] if wave_file else []
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=out)
    seconds = time.monotonic() - start
    (out / "vvp.log").write_text(proc.stdout + proc.stderr)
    summary = SUMMARY.search(proc.stdout)
    if proc.returncode != 0 or summary is None:
        raise ConfigError(f"stimulus of {cfg.name} seed {seed} failed: "
                          f"{(proc.stdout + proc.stderr).strip()[-300:]} (log {out}/vvp.log)")
    steps, d, numbers, beats, cycles = map(int, summary.groups())
    hashes = [m.group(4) for m in PASS.finditer(proc.stdout) if m.group(2) == "0"]
    return SimRun(steps, d, numbers, beats, cycles, hashes, wave_file, round(seconds, 2))
