"""Equal-throughput measurement of the perturbation subsystems (issue 10, item 4).

`python -m power.throughput [--config NAME] [--seeds 1,2,3]` prints the table.

Every configuration (power/throughput_config.py) delivers P numbers per clock and each ZO
step's d numbers three times (+eps, -eps, update). For one configuration `measure()` gives

- Xilinx LUT/FF/BRAM/DSP/LUTRAM (regress/synth.py, yosys synth_xilinx, out of context);
- sky130 area, cells, flops (power/gate_synth.py);
- per seed, the stimulus of power/throughput_sim.py on the netlist (Icarus, VCD of the
  netlist's own nets) and the power engine (power/flow.py, 100-cycle windows from the
  first ZO step: set-up, the pool fill or the seed writes, is left out, as a one-off cost
  of a training run of thousands of steps): gate-level power, energy per perturbation
  number (energy of the run / numbers delivered) and per ZO step (energy / steps, 3 d
  numbers);
- per seed, the same stimulus on the RTL (FST) and the RTL power proxy (power/proxy.py)
  on its activity: fitted on the first seed (`proxy.fit`) and applied to every seed, so the
  other seeds are held out; `proxy_design_w` is the design's stored model (calibrated or
  generic) beside it. The RTL and the netlist must deliver the same numbers (one hash per
  step): the netlist is checked against its RTL on every run.

Results are cached per configuration, sources, liberty and seed under build/throughput/.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from power import gate_synth, liberty, netlist, pdk, proxy
from power import throughput_sim as sim
from power.activity import Activity, read_waves
from power.flow import PowerJob
from power.flow import run as run_power
from power.throughput_config import (
    Config,
    array_config,
    by_name,
    comparison_configs,
    pool_config,
    smallest_pool,
)
from ref_model.errors import ConfigError
from regress import synth as xsynth
from tb import harness
from tb.harness import locked

ROOT = harness.REPO / "build" / "throughput"
# a ZO step at P = 4 is about 915 cycles: 100-cycle windows give the proxy fit ~9 windows
WINDOW_CYCLES = 100
INPUT_TRANSITION_S = 0.1e-9
VERSION = "2"  # bump when what a cached seed record holds changes
# The gate-level simulator: event-driven Icarus costs per event, Verilator a build per
# netlist and then little per cycle. Measured for one ZO step on 2 cores: the pool N=1212
# (40,905 cells, mostly flops that hold their word) runs in 25 s on Icarus, where its
# Verilator build takes minutes; the inverse-CDF array (18,301 cells of multiplier and
# adder trees, every cycle busy) ran over 3 min on Icarus and builds in 101 s on Verilator,
# then runs in 0.2 s. So arrays above this many cells go to Verilator, pools stay on Icarus.
VERILATOR_CELLS = 3_000
STORAGE_NET = ".mem["  # pezo_pool's bank words gen_bank[k].mem[row], as yosys names them
TB_FILES = ("power/tb/pezo_perturb_tb.v", "power/throughput_sim.py")

__all__ = ["Config", "Measurement", "array_config", "by_name", "comparison_configs",
           "measure", "pool_config", "smallest_pool"]


@dataclass
class SeedRecord:
    """One seed of one configuration: what was delivered and what it cost."""

    seed: int
    numbers: int
    steps: int
    cycles: int
    gl_power_w: float
    gl_window_w: list[float]
    gl_storage_w: float             # of it, the flops holding pool words (storage_power)
    seconds_window: float           # duration of the analysed windows
    energy_j: float
    hashes: list[str]
    rtl_s: float
    gl_s: float
    power_s: float


@dataclass
class Measurement:
    cfg: Config
    xilinx: dict
    sky130: dict
    seeds: list[SeedRecord]
    proxy_power_w: list[float]
    proxy_design_w: list[float]
    proxy_model: str
    times: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        c = self.cfg
        return {"name": c.name, "label": c.label, "family": c.family, "policy": c.policy,
                "source": c.source, "d": c.d, "lanes": c.lanes,
                "lut": self.xilinx["luts"], "ff": self.xilinx["ffs"],
                "bram": self.xilinx["brams"], "dsp": self.xilinx["dsps"],
                "lutram": self.xilinx["lutrams"], "area_um2": self.sky130["area_um2"],
                "cells": self.sky130["cells"], "flops": self.sky130["flops"],
                "seeds": [s.seed for s in self.seeds],
                "gl_power_w": [s.gl_power_w for s in self.seeds],
                "gl_storage_w": [s.gl_storage_w for s in self.seeds],
                "energy_per_perturbation_j": [s.energy_j / s.numbers for s in self.seeds],
                "energy_per_zo_step_j": [s.energy_j / s.steps for s in self.seeds],
                "proxy_power_w": self.proxy_power_w, "proxy_design_w": self.proxy_design_w,
                "proxy_model": self.proxy_model,
                "cycles_per_zo_step": self.seeds[0].cycles / self.seeds[0].steps,
                "numbers": [s.numbers for s in self.seeds],
                "steps": self.seeds[0].steps, "seconds": self.times.get("total_s", 0.0),
                "times": self.times}


def cache_dir(cfg: Config, root: Path = ROOT) -> Path:
    """<root>/<name>-<key>: the key covers sources, parameters, stimulus, liberty."""
    key = xsynth.design_key(cfg.top, (*cfg.rtl_files, *TB_FILES), dict(cfg.params), VERSION,
                            json.dumps([cfg.d, cfg.steps, cfg.scale, cfg.lanes]),
                            pdk.liberty_hash(), gate_synth.FLOW_VERSION)
    return Path(root) / f"{cfg.name}-{key}"


def _cached(path: Path, make) -> dict:
    if path.is_file():
        return json.loads(path.read_text())
    value = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=1))
    return value


def _xilinx(cfg: Config) -> dict:
    result = xsynth.synthesize(cfg.name, cfg.top, cfg.rtl_files, dict(cfg.params))
    if not result.ok:
        raise ConfigError(f"Xilinx synthesis of {cfg.name} failed: "
                          f"{'; '.join(result.problems)[:300]} (log {result.log})")
    return {k: getattr(result, k) for k in ("luts", "invs", "ffs", "brams", "lutrams", "dsps")}


def _sky130(cfg: Config) -> tuple[dict, gate_synth.GateResult]:
    result = gate_synth.synthesize(cfg.name, cfg.top, cfg.rtl_files, dict(cfg.params))
    if not result.ok:
        raise ConfigError(f"sky130 synthesis of {cfg.name} failed: "
                          f"{'; '.join(result.problems)[:300]} (log {result.log})")
    return {"area_um2": result.area_um2, "cells": result.n_cells, "flops": result.flops,
            "synthesis_s": result.seconds}, result


def rtl_activity(waves: Path) -> Activity:
    """The RTL activity the proxy reads: as regress/activity.py captures it (no memory
    words, leading X as 0), in WINDOW_CYCLES windows from the first ZO step."""
    return read_waves(waves, sim.SCOPE, window_cycles=WINDOW_CYCLES, arrays=False,
                      initial_x="zero")


def _gate_power(cfg: Config, netlist_json: Path, waves: Path):
    job = PowerJob(netlist_json, pdk.liberty_path(), cfg.top, waves, sim.SCOPE,
                   clock_period=sim.CLOCK_PERIOD_S, input_transition=INPUT_TRANSITION_S,
                   clock="clk_i", window_cycles=WINDOW_CYCLES)
    return run_power(job)


def storage_power(netlist_json: Path, top: str, power) -> float:
    """W of the flops that hold the pool's words (nets named after pezo_pool's `mem`
    arrays): what a RAM macro would replace. The read multiplexers stay in the rest."""
    design = netlist.read(netlist_json, liberty.load(pdk.liberty_path()), top)
    driver = design.driver_instance()
    words = {int(driver[n]) for n, names in enumerate(design.net_names)
             if driver[n] >= 0 and any(STORAGE_NET in name for name in names)}
    return float(power.per_instance_total()[sorted(words)].sum()) if words else 0.0


def gate_simulator(kind: str, cells: int, choice: str | None = None) -> str:
    """The netlist's simulator: `choice`, or by kind and size (VERILATOR_CELLS)."""
    if choice not in (None, "icarus", "verilator"):
        raise ConfigError(f"unknown gate-level simulator '{choice}': choose icarus or verilator")
    busy = kind == "array" and cells > VERILATOR_CELLS
    return choice or ("verilator" if busy else "icarus")


def _benches(cfg: Config, work: Path, gate: gate_synth.GateResult,
             gl_sim: str | None) -> dict[str, sim.Bench]:
    """The RTL bench (Icarus) and the netlist's (Verilator's build kept under `work`)."""
    simulator = gate_simulator(cfg.kind, gate.n_cells, gl_sim)
    stamp = work / "gl" / "verilator-built"
    if simulator == "verilator" and stamp.is_file():
        gl = sim.Bench(simulator, Path(stamp.read_text()))
    else:
        gl = sim.compile_bench(cfg, work / "gl", Path(gate.verilog), simulator)
        if simulator == "verilator":
            stamp.write_text(str(gl.path))
    return {"rtl": sim.compile_bench(cfg, work / "rtl"), "gl": gl}


def _run_seed(cfg: Config, seed: int, work: Path, benches: dict,
              netlist_json: Path) -> SeedRecord:
    out = work / f"s{seed}"
    record = out / "seed.json"
    rtl = sim.run(cfg, benches["rtl"], seed, out / "rtl", "fst", depth=0)
    rtl_activity(rtl.waves).save(out / "activity.npz")
    rtl.waves.unlink()
    gl = sim.run(cfg, benches["gl"], seed, out / "gl", "vcd", depth=1)
    if (gl.hashes, gl.numbers, gl.cycles) != (rtl.hashes, rtl.numbers, rtl.cycles):
        raise ConfigError(f"{cfg.name} seed {seed}: the netlist delivers other numbers than "
                          f"the RTL (hashes {gl.hashes} vs {rtl.hashes}; logs under {out})")
    start = time.monotonic()
    power = _gate_power(cfg, netlist_json, gl.waves)
    power_s = time.monotonic() - start
    gl.waves.unlink()
    duration = float(power.window_start[-1] - power.window_start[0])
    total = power.total()["total"]
    rec = SeedRecord(seed, gl.numbers, gl.steps, gl.cycles, total,
                     [float(w) for w in power.per_window_total()],
                     storage_power(netlist_json, cfg.top, power), duration, total * duration,
                     gl.hashes, rtl.seconds, gl.seconds, round(power_s, 2))
    record.write_text(json.dumps(asdict(rec), indent=1))
    return rec


def _proxies(cfg: Config, work: Path, records: list[SeedRecord]) -> tuple[list, list, str]:
    """Proxy power per seed: fitted on the first seed, and the design's stored model."""
    samples = [(Activity.load(work / f"s{r.seed}" / "activity.npz"), np.array(r.gl_window_w))
               for r in records]
    fitted = proxy.fit(samples[:1], cfg.top, dict(cfg.params), sim.CLOCK_PERIOD_S)
    stored = proxy.for_design(cfg.top, dict(cfg.params))
    fit_w = [fitted.estimate(a, sim.CLOCK_PERIOD_S).total_w for a, _ in samples]
    stored_w = [stored.estimate(a, sim.CLOCK_PERIOD_S).total_w for a, _ in samples]
    return fit_w, stored_w, stored.model_id


def kept_seed(work: Path, seed: int) -> SeedRecord | None:
    """The seed's kept record under `work` (None: not kept, or of an older format)."""
    out = work / f"s{seed}"
    if not ((out / "seed.json").is_file() and (out / "activity.npz").is_file()):
        return None
    try:
        return SeedRecord(**json.loads((out / "seed.json").read_text()))
    except TypeError:
        return None


def measure(cfg: Config, seeds=(1, 2, 3), jobs: int = 2, root: Path = ROOT,
            gl_sim: str | None = None, kept_only: bool = False) -> Measurement:
    """Synthesize, simulate every seed on RTL and gates, and price it (see the module doc);
    seeds run `jobs` at a time; results are cached under `root` (the same power from
    either gate-level simulator: `gl_sim` None picks by design). The testbenches are built
    only when a seed is not kept. kept_only: the asked seeds that are kept, nothing
    simulated (ConfigError if none is). One process at a time measures a configuration."""
    if not seeds:
        raise ConfigError("measure needs at least one seed")
    start = time.monotonic()
    work = cache_dir(cfg, root)
    with locked(work.parent / f".{work.name}.lock"):
        kept = {s: kept_seed(work, s) for s in seeds}
        if kept_only:
            seeds = [s for s in seeds if kept[s]]
            if not seeds or not (work / "xilinx.json").is_file():
                raise ConfigError(f"no kept measurement of {cfg.name} for the asked seeds "
                                  f"(looked in {work})")
        xilinx = _cached(work / "xilinx.json", lambda: _xilinx(cfg))
        sky130, gate = _sky130(cfg)
        synth_s = time.monotonic() - start
        missing = [s for s in seeds if kept[s] is None]
        benches = _benches(cfg, work, gate, gl_sim) if missing else None
        build_s = time.monotonic() - start - synth_s
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            fresh = dict(zip(missing, pool.map(
                lambda s: _run_seed(cfg, s, work, benches, Path(gate.json)), missing),
                strict=True))
        records = [kept[s] or fresh[s] for s in seeds]
        fit_w, stored_w, model_id = _proxies(cfg, work, records)
    times = {"synthesis_s": round(synth_s, 2), "build_s": round(build_s, 2),
             "gl_simulator": benches["gl"].simulator if benches else "kept",
             "kept": not missing, "cells_synthesis_s": sky130.get("synthesis_s", 0.0),
             "runs_s": round(sum(r.rtl_s + r.gl_s + r.power_s for r in records), 2),
             "total_s": round(time.monotonic() - start, 2)}
    return Measurement(cfg, xilinx, sky130, records, fit_w, stored_w, model_id, times)


def replay_bound(gaussian: Measurement, pool: Measurement) -> dict:
    """What storing a Gaussian perturbation would cost at least, against regenerating it:
    a d-word buffer (the pool's storage, at the Gaussian's word width) beside the generator,
    which then runs one pass in three. Lower bounds: the buffer's fill and read logic and
    the generator's idle clocking are left out."""
    widen = gaussian.cfg.out_w / pool.cfg.out_w
    gen_w = float(np.mean([s.gl_power_w for s in gaussian.seeds]))
    pool_w = float(np.mean([s.gl_power_w for s in pool.seeds]))
    return {"regenerate_area_um2": gaussian.sky130["area_um2"],
            "replay_area_um2": gaussian.sky130["area_um2"] + widen * pool.sky130["area_um2"],
            "regenerate_w": gen_w, "replay_w": gen_w / 3 + widen * pool_w}


# ---------------------------------------------------------------------- table, CLI


def _spread(values: list[float], scale: float) -> str:
    v = np.asarray(values, dtype=float) * scale
    return f"{v.mean():.2f} ± {v.std():.2f}" if len(v) > 1 else f"{v.mean():.2f}"


def table(measurements: list[Measurement]) -> str:
    rows = []
    for m in measurements:
        d = m.to_dict()
        rows.append([d["name"], d["source"], d["policy"], d["lut"], d["ff"], d["bram"],
                     d["lutram"], d["dsp"], f"{d['area_um2']:,.0f}", f"{d['cells']:,}",
                     d["flops"], _spread(d["gl_power_w"], 1e6),
                     _spread(d["proxy_power_w"], 1e6),
                     _spread(d["energy_per_perturbation_j"], 1e12),
                     _spread(d["energy_per_zo_step_j"], 1e9), f"{d['cycles_per_zo_step']:.0f}",
                     f"{d['seconds']:.0f}"])
    return xsynth.markdown(
        ["config", "source row", "policy", "LUT", "FF", "BRAM", "LUTRAM", "DSP", "area um^2",
         "cells", "flops", "gl uW", "proxy uW", "pJ/number", "nJ/ZO step", "cycles/step", "s"],
        rows)


def _seeds(text: str) -> tuple[int, ...]:
    try:
        seeds = tuple(int(s) for s in text.split(",") if s.strip())
    except ValueError:
        raise ConfigError(f"--seeds takes comma-separated integers, got '{text}'") from None
    if not seeds:
        raise ConfigError("--seeds needs at least one seed")
    return seeds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m power.throughput",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--config", action="append", help="one configuration (repeatable; "
                        "default: all of comparison_configs)")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--lanes", type=int, default=4, help="P: numbers per clock")
    parser.add_argument("--d", type=int, default=1210, help="perturbation length")
    parser.add_argument("--steps", type=int, default=Config.steps, help="ZO steps per run "
                        f"(default {Config.steps})")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument("--gl-sim", choices=("icarus", "verilator"),
                        help="gate-level simulator (default: Verilator for RNG arrays above "
                        f"{VERILATOR_CELLS:,} cells, Icarus otherwise)")
    args = parser.parse_args(argv)
    try:
        if args.steps < 1:
            raise ConfigError(f"--steps must be at least 1, got {args.steps}")
        configs = ([by_name(n, args.lanes, args.d) for n in args.config] if args.config
                   else comparison_configs(args.lanes, args.d))
        configs = [replace(c, steps=args.steps) for c in configs]
        seeds = _seeds(args.seeds)
        measurements = [measure(c, seeds, args.jobs, gl_sim=args.gl_sim) for c in configs]
    except ConfigError as exc:
        parser.exit(2, f"pezo: error: {exc}\n")
    print(table(measurements))
    pools = [m for m in measurements if m.cfg.policy == "pool" and not m.cfg.scale]
    for g in (m for m in measurements if m.cfg.family == "gaussian"):
        for p in pools[:1]:
            b = replay_bound(g, p)
            print(f"{g.cfg.name}: regenerate {b['regenerate_w'] * 1e6:.0f} uW, "
                  f"{b['regenerate_area_um2']:,.0f} um^2; replay >= {b['replay_w'] * 1e6:.0f} uW, "
                  f"{b['replay_area_um2']:,.0f} um^2 (buffer = {p.cfg.name} storage)")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if args.json:
        args.json.write_text(json.dumps([m.to_dict() for m in measurements], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
