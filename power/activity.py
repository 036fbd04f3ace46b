"""Switching activity from simulation waves: toggles and time at 1, per signal bit and window.

`read_waves()` reads a VCD or FST file with pywellen (the waves themselves are never parsed
here) and reduces every signal bit at or below one scope to an `Activity`: 0<->1 transitions
and time spent at 1, per window of clock cycles. The regression's activity capture
(`pezo sim/regress --activity`, regress/activity.py) and the gate-level power engine read
activity through this one type; power/saif.py gives the same type from a SAIF file.

Definitions (docs/power.md):

- A toggle is a 0->1 or 1->0 transition of one bit between two consecutive recorded values.
  X and Z are not 0 or 1: 0->X->1 is no toggle, and X->1 is none either (SAIF's TC counts
  the same way). Verilog's weak 'h'/'l' (9-state waves) count as 1/0.
- High time is the time a bit is at 1 (not X, not Z) within a window, in seconds.
- Windows: with `window_cycles=N`, a window is N rising edges (0->1) of the clock; the first
  window starts at the first rising edge at or after the start, every window is half-open
  [edge, edge + N cycles), and the last window ends at the last rising edge in the file, so
  it may hold fewer than N cycles (`window_ncycles`) and the changes that simulators write
  in the very last time step (Icarus writes some, Verilator others) are outside every
  window. With `window_cycles=None` there is one window, closed, from the start to the last
  time stamp (or `end`).
- Start: `start=None` (the default) is the first time stamp in the waves; `start="reset"` is
  the first rising clock edge after the reset is first released (`rst_ni`/`rst_n` going
  0->1, or `reset`/`rst`/`rst_i` going 1->0, in the scope); a number is a time in seconds,
  a string such as "250ns" a time with its unit. The value a bit has at the start is its
  reference: a change at the start time itself is counted if it differs from the value
  just before.

Names: one per bit, the hierarchical path below the scope with '.' between instances,
e.g. "u_lfsr.state_q[3]"; a multi-bit signal always carries the bit index, a 1-bit one
none (unless it was declared with one, e.g. "net[3]"). Memories that Verilator dumps as
arrays read "gen_bank[0].mem[5][2]" (word 5, bit 2). Aliases (the same signal under two
names, e.g. a port and the net it drives) each appear under their own name. Bit indices:
pywellen does not expose a variable's declared range, so for FST the index is the offset
from the least significant bit (the declared index for the usual [N-1:0]); for VCD the
declarations are read from the header to give the declared indices, also where pywellen
merged bit-split declarations (`\\x[9]`, `\\x[8]`, ... as written by netlist simulations)
into one vector.

Parameters (Verilator dumps them as constant signals) are left out by default, memory
words with arrays=False (Icarus's $dumpvars never dumps them). Real, string and event
signals are always left out.

The reduction is vectorised with numpy per signal: a loop over signals, never over time
steps or cycles.
"""

from __future__ import annotations

import gzip
import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path

import numpy as np

from ref_model.errors import ConfigError

CLOCK_NAMES = ("clk_i", "clk")
RESET_ACTIVE_LOW = ("rst_ni", "rst_n")
RESET_ACTIVE_HIGH = ("reset", "rst", "rst_i")
# Scope kinds that are module instances for Activity.by_instance(); the others (named
# blocks, tasks, structs, arrays, ...) are folded into the instance that holds them.
INSTANCE_SCOPES = {"module", "generate", "interface", "program", "vhdl_architecture",
                   "vhdl_block", "vhdl_generate", "vhdl_for_generate", "vhdl_if_generate"}
# Scope kinds pywellen gives unpacked arrays (Verilator's memories: "unknown"; arrays that
# pywellen splits from VCD/FST names like "mem[3]": "vhdl_array").
ARRAY_SCOPES = {"unknown", "vhdl_array"}
UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "ps": 1e-12, "fs": 1e-15,
         "as": 1e-18, "zs": 1e-21}
_CHUNK = 1 << 20  # changes converted from pywellen per slice (bounds peak memory)
_ALL = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


@dataclass
class Activity:
    """Toggles and time at 1 per signal bit (rows) and window (columns)."""

    names: list[str]
    toggles: np.ndarray        # int64 (n_bits, n_windows): 0<->1 transitions
    high_time: np.ndarray      # float64 (n_bits, n_windows): seconds at 1
    window_start: np.ndarray   # float64 (n_windows + 1,): window boundaries, seconds
    instance: np.ndarray       # int64 (n_bits,): index into `instances` of each bit
    instances: list[str]       # instance paths below the scope; "" is the scope itself
    scope: str                 # as found in the waves, '.'-separated
    source: str                # the file read
    time_unit: float           # seconds per time step of the file
    clock: str | None = None   # clock signal the windows count (name below the scope)
    window_cycles: int | None = None      # requested cycles per window; None: one window
    cycles: int | None = None             # clock cycles measured, all windows
    window_ncycles: np.ndarray | None = None  # int64 (n_windows,): cycles per window
    # more arrays by source: read_waves() gives "x_toggles" (n_bits, n_windows), changes
    # between 0/1 and X/Z (not toggles); read_saif() gives SAIF's T0, TX, TZ, TB, IG, TG
    extra: dict = field(default_factory=dict)

    @property
    def n_bits(self) -> int:
        return len(self.names)

    @property
    def n_windows(self) -> int:
        return len(self.window_start) - 1

    @property
    def duration(self) -> float:
        """Seconds from the first window's start to the last one's end."""
        return float(self.window_start[-1] - self.window_start[0])

    def total_toggles(self) -> np.ndarray:
        """int64 (n_bits,): toggles over all windows."""
        return self.toggles.sum(axis=1)

    def total_high_time(self) -> np.ndarray:
        """float64 (n_bits,): seconds at 1 over all windows."""
        return self.high_time.sum(axis=1)

    def row(self, name: str) -> int:
        """The row of the bit called `name` (KeyError naming it otherwise)."""
        index = getattr(self, "_rows", None)
        if index is None:
            index = self._rows = {n: i for i, n in enumerate(self.names)}
        return index[name]

    def by_instance(self) -> dict[str, dict]:
        """Toggles per module instance: {path: {bits, self, total, self_windows, total_windows}}.

        `self` counts the bits directly in the instance, `total` those of its children too;
        both are whole-run ints, the *_windows entries int64 arrays (n_windows,). Paths are
        relative to the scope ("" for the scope itself), parents before children.
        """
        n_inst = len(self.instances)
        per = np.zeros((n_inst, self.n_windows), np.int64)
        np.add.at(per, self.instance, self.toggles)
        bits = np.bincount(self.instance, minlength=n_inst)
        total, total_bits = per.copy(), bits.copy()
        index = {p: i for i, p in enumerate(self.instances)}
        for i, path in enumerate(self.instances):
            ancestors = {""} if path else set()
            ancestors |= {path[:m.start()] for m in re.finditer(r"\.", path)}
            for a in ancestors & index.keys():
                total[index[a]] += per[i]
                total_bits[index[a]] += bits[i]
        return {path: {"bits": int(bits[i]), "total_bits": int(total_bits[i]),
                       "self": int(per[i].sum()), "total": int(total[i].sum()),
                       "self_windows": per[i], "total_windows": total[i]}
                for i, path in enumerate(self.instances)}

    def save(self, path: str | Path) -> None:
        """Everything in one .npz file (`Activity.load` reads it back)."""
        meta = {"scope": self.scope, "source": self.source, "time_unit": self.time_unit,
                "clock": self.clock or "", "window_cycles": self.window_cycles or 0,
                "cycles": -1 if self.cycles is None else self.cycles}
        arrays = {"names": np.array(self.names, dtype=str),
                  "instances": np.array(self.instances, dtype=str),
                  "toggles": self.toggles, "high_time": self.high_time,
                  "window_start": self.window_start, "instance": self.instance,
                  "window_ncycles": (np.zeros(0, np.int64) if self.window_ncycles is None
                                     else self.window_ncycles)}
        arrays.update({f"meta_{k}": np.array(v) for k, v in meta.items()})
        arrays.update({f"extra_{k}": v for k, v in self.extra.items()})
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> Activity:
        with np.load(path) as data:
            meta = {k[5:]: data[k].item() for k in data.files if k.startswith("meta_")}
            extra = {k[6:]: data[k] for k in data.files if k.startswith("extra_")}
            ncycles = data["window_ncycles"]
            return cls(names=data["names"].tolist(), toggles=data["toggles"],
                       high_time=data["high_time"], window_start=data["window_start"],
                       instance=data["instance"], instances=data["instances"].tolist(),
                       scope=meta["scope"], source=meta["source"],
                       time_unit=float(meta["time_unit"]), clock=meta["clock"] or None,
                       window_cycles=int(meta["window_cycles"]) or None,
                       cycles=None if meta["cycles"] < 0 else int(meta["cycles"]),
                       window_ncycles=ncycles if len(ncycles) else None, extra=extra)


# --------------------------------------------------------------------------- reading


@dataclass
class _Var:
    var: object          # pywellen.Var
    rel: str             # name below the scope, without bit index
    inst: str            # instance path below the scope
    parent: str          # full name of the scope that declares it
    width: int
    lsb_index: int = 0   # declared index of the least significant bit
    step: int = 1        # +1 for [msb:lsb] with msb >= lsb, -1 for ascending ranges
    indexed: bool = False  # declared with an index: name bits even when 1 bit wide


def read_waves(path: str | Path, scope: str, *, clock: str | None = None,
               window_cycles: int | None = None, start: float | str | None = None,
               end: float | str | None = None, parameters: bool = False,
               arrays: bool = True, initial_x: str = "unknown", below: bool = True) -> Activity:
    """Activity of every signal bit at or below `scope` in a VCD/FST file (see module doc).

    scope: hierarchical scope in the waves, '.' or '/' separated ("gcd_tb/gcd1").
    clock: clock signal below the scope (default: clk_i or clk in the scope); needed for
      windows, for start="reset", and for `cycles`.
    window_cycles: rising clock edges per window; None: one window over the whole run.
    start: None (first time stamp), "reset", seconds, or a string with a unit ("250ns").
    end: None (last time stamp; with windows the last rising clock edge), or a time; only
      for `window_cycles=None`.
    parameters: also report parameters that the simulator dumped as constant signals.
    arrays: also report the words of unpacked arrays (memories), which Verilator dumps
      and Icarus's $dumpvars does not.
    initial_x: "unknown" (default): X/Z is never 0 or 1. "zero": a bit that is X/Z from the
      start of the waves until its first 0/1 reads 0 there, the value a two-state simulator
      (Verilator without +verilator+rand+reset) gives uninitialized state; X/Z after a
      known value is still unknown.
    below: also the scopes below `scope`; False reads only its own signals (a flat
      netlist's nets, without the pins of every cell instance: far fewer signals to load).
    Raises ConfigError with one line for every bad input.
    """
    if window_cycles is not None and (not isinstance(window_cycles, int) or window_cycles < 1):
        raise ConfigError(f"window must be a positive number of clock cycles, got {window_cycles}")
    if end is not None and window_cycles is not None:
        raise ConfigError("end is only for one window (window_cycles=None); "
                          "windows end at the last rising clock edge")
    if initial_x not in ("unknown", "zero"):
        raise ConfigError(f"initial_x must be 'unknown' or 'zero', got {initial_x!r}")
    path = Path(path)
    waves, local = _open(path)
    try:
        return _read(waves, path, scope, clock, window_cycles, start, end, parameters,
                     arrays, initial_x == "zero", below)
    except ConfigError:
        raise
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # pywellen raises RuntimeError, or a pyo3 panic
        raise ConfigError(f"cannot read waves {path}: {_one_line(exc)}") from None
    finally:
        if local is not None:
            os.unlink(local)


def _open(path: Path):
    """A pywellen Waveform; .vcd.gz is unpacked to a temporary file (returned for removal)."""
    import pywellen
    if not path.is_file():
        raise ConfigError(f"waves file {path} does not exist")
    local = None
    target = path
    if path.suffix == ".gz":
        handle, local = tempfile.mkstemp(suffix=path.stem[-4:] if "." in path.stem else ".vcd")
        try:
            with gzip.open(path, "rb") as src, os.fdopen(handle, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except OSError as exc:
            os.unlink(local)
            raise ConfigError(f"cannot read waves {path}: {exc}") from None
        target = Path(local)
    try:
        return pywellen.Waveform(str(target)), local
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:
        if local:
            os.unlink(local)
        raise ConfigError(f"cannot read waves {path}: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return text[:300] or type(exc).__name__


def _read(waves, path, scope_name, clock, window_cycles, start, end, parameters, arrays,
          x_zero, below=True) -> Activity:
    scope = find_scope(waves, scope_name, path)
    prefix = scope.full_name
    tick = _tick_seconds(waves, path)
    variables = _variables(scope, prefix, parameters, arrays, below)
    if waves.file_format == "VCD":
        _vcd_indices(path, prefix, variables)

    cache: dict[str, tuple] = {}

    def values(var):
        key = str(var.signal_id)
        if key not in cache:
            cache[key] = _signal_values(var.signal, var.bitwidth or 1, x_zero)
        return cache[key]

    loaded = [values(v.var) for v in variables]
    if not loaded:
        raise ConfigError(f"scope '{scope_name}' in {path} holds no signals")
    first = min((t[0] for t, _, _ in loaded if len(t)), default=0)
    last = max((t[-1] for t, _, _ in loaded if len(t)), default=0)

    clock_var = _named(variables, clock, CLOCK_NAMES, "clock", scope_name, required=False)
    edges = None
    if clock_var is not None:
        t, one, known = values(clock_var.var)
        edges = t[_rises(one[:, 0], known[:, 0])]
    elif clock is not None or window_cycles is not None or start == "reset":
        why = "windows of clock cycles" if window_cycles is not None else "start='reset'"
        raise ConfigError(f"no clock ({' or '.join(CLOCK_NAMES)}) in scope '{scope_name}' "
                          f"of {path}; name one for {why}")

    s_tick = _start_tick(start, first, tick, edges, variables, values, scope_name, path)
    if window_cycles is None:
        e_tick = last if end is None else _time_tick(end, tick, "end")
        if e_tick <= s_tick:
            raise ConfigError(f"nothing to measure in {path}: start {s_tick * tick:.4g} s "
                              f"is not before end {e_tick * tick:.4g} s")
        bounds = np.array([s_tick, e_tick], np.int64)
        closed = True
        ncycles = None
        cycles = None if edges is None else int(((edges >= s_tick) & (edges < e_tick)).sum())
    else:
        after = edges[edges >= s_tick]
        if len(after) < 2:
            raise ConfigError(f"fewer than one clock cycle after the start in {path}")
        marks = np.arange(0, len(after), window_cycles)
        if marks[-1] != len(after) - 1:
            marks = np.append(marks, len(after) - 1)
        bounds = after[marks]
        closed = False
        ncycles = np.diff(marks).astype(np.int64)
        cycles = int(len(after) - 1)

    rows_t, rows_x, rows_h, names, inst_of = [], [], [], [], []
    stats_cache: dict[str, tuple] = {}
    for v in variables:
        key = str(v.var.signal_id)
        if key not in stats_cache:
            stats_cache[key] = _bit_stats(*values(v.var), v.var.bitwidth or 1, bounds, closed)
        tog, x_tog, high = stats_cache[key]
        rows_t.append(tog)
        rows_x.append(x_tog)
        rows_h.append(high)
        names.extend(_bit_names(v))
        inst_of.extend([v.inst] * v.width)
    instances = sorted(set(inst_of), key=lambda p: (p != "", p))
    inst_index = {p: i for i, p in enumerate(instances)}
    return Activity(
        names=names, toggles=np.concatenate(rows_t).astype(np.int64),
        high_time=np.concatenate(rows_h).astype(np.float64) * tick,
        window_start=bounds.astype(np.float64) * tick,
        instance=np.array([inst_index[p] for p in inst_of], np.int64), instances=instances,
        scope=prefix, source=str(path), time_unit=tick,
        clock=clock_var.rel if clock_var is not None else None,
        window_cycles=window_cycles, cycles=cycles, window_ncycles=ncycles,
        extra={"x_toggles": np.concatenate(rows_x).astype(np.int64)})


def find_scope(waves, name: str, path) -> object:
    """The pywellen scope called `name` ('.' or '/' separated); ConfigError listing the tops."""
    wanted = name.strip().replace("/", ".").strip(".")
    for scope in waves.all_scopes():
        if scope.full_name == wanted:
            return scope
    tops = ", ".join(s.full_name for s in waves.scopes()) or "none"
    near = [s.full_name for s in waves.all_scopes()
            if s.full_name.split(".")[-1] == wanted.split(".")[-1]][:4]
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise ConfigError(f"scope '{name}' not in {path}; top-level scopes: {tops}{hint}")


def _tick_seconds(waves, path) -> float:
    ts = waves.timescale
    if ts is None:
        return 1e-9  # VCD without $timescale: IEEE 1364 leaves it open; take 1 ns
    exponent = ts.unit.to_exponent()
    if exponent is None:
        raise ConfigError(f"unknown time unit '{ts}' in {path}")
    return ts.factor * 10.0 ** exponent


def _variables(scope, prefix: str, parameters: bool, arrays: bool,
               below: bool = True) -> list[_Var]:
    """Every bit-vector variable at (and with `below`, below) `scope`, with its instance path."""
    out: list[_Var] = []
    stack = [(scope, "")]
    while stack:
        here, inst = stack.pop()
        if not arrays and here.scope_type in ARRAY_SCOPES:
            continue
        for var in here.vars():
            if var.is_real or var.is_string or not var.bitwidth:
                continue
            if var.var_type in ("Event", "EventParameter", "Real", "RealParameter", "String"):
                continue
            if not parameters and "Parameter" in var.var_type:
                continue
            rel = var.full_name[len(prefix) + 1:].replace(".[", "[")
            out.append(_Var(var, rel, inst, here.full_name, var.bitwidth))
        if not below:
            break
        for child in reversed(here.scopes()):
            child_inst = inst
            if child.scope_type in INSTANCE_SCOPES:
                child_inst = f"{inst}.{child.name}" if inst else child.name
            stack.append((child, child_inst))
    return out


def _named(variables, name, defaults, what, scope_name, required=True):
    """The variable called `name` (or the first of `defaults`) directly in the scope."""
    wanted = [name.replace("/", ".")] if name else list(defaults)
    by_name = {v.rel: v for v in variables if v.width == 1}
    for candidate in wanted:
        if candidate in by_name:
            return by_name[candidate]
    if name:
        raise ConfigError(f"{what} '{name}' is not a 1-bit signal in scope '{scope_name}'")
    if required:
        raise ConfigError(f"no {what} ({', '.join(defaults)}) in scope '{scope_name}'")
    return None


def _rises(one: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Indices of 0->1 changes of a 1-bit signal (uint64 value/known words)."""
    ok = (known[1:] & known[:-1]).astype(bool)
    return np.flatnonzero(ok & (one[1:] == 1) & (one[:-1] == 0)) + 1


def _falls(one: np.ndarray, known: np.ndarray) -> np.ndarray:
    ok = (known[1:] & known[:-1]).astype(bool)
    return np.flatnonzero(ok & (one[1:] == 0) & (one[:-1] == 1)) + 1


def _start_tick(start, first, tick, edges, variables, values, scope_name, path) -> int:
    if start is None:
        return int(first)
    if start != "reset":
        return _time_tick(start, tick, "start")
    by_name = {v.rel: v for v in variables if v.width == 1}
    resets = [(n, True) for n in RESET_ACTIVE_LOW] + [(n, False) for n in RESET_ACTIVE_HIGH]
    for name, low in resets:
        if name in by_name:
            t, one, known = values(by_name[name].var)
            released = (_rises if low else _falls)(one[:, 0], known[:, 0])
            if not len(released):
                raise ConfigError(f"reset '{name}' is never released in {path}")
            release = t[released[0]]
            later = edges[edges > release]
            if not len(later):
                raise ConfigError(f"no rising clock edge after the reset release in {path}")
            return int(later[0])
    names = ", ".join(RESET_ACTIVE_LOW + RESET_ACTIVE_HIGH)
    raise ConfigError(f"start='reset' but no reset ({names}) in scope '{scope_name}' of {path}")


def _time_tick(value, tick, what) -> int:
    """A time in seconds (number) or with a unit ("250ns") as a count of file time steps."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9.eE+-]+)\s*([a-z]+)\s*", value)
        if not match or match.group(2) not in UNITS:
            raise ConfigError(f"{what} '{value}' is not 'reset', seconds, or a time "
                              f"with a unit ({', '.join(UNITS)})")
        try:
            seconds = float(match.group(1)) * UNITS[match.group(2)]
        except ValueError:
            raise ConfigError(f"{what} '{value}' is not a time") from None
    elif isinstance(value, (int, float)) and math.isfinite(value):
        seconds = float(value)
    else:
        raise ConfigError(f"{what} must be 'reset', seconds or a time string, got {value!r}")
    if seconds < 0:
        raise ConfigError(f"{what} must not be negative, got {value!r}")
    return int(round(seconds / tick))


# --------------------------------------------------------------------------- per signal


def _signal_values(signal, width: int, x_zero: bool = False):
    """(times int64 (n,), value words uint64 (n, w64), known words uint64 (n, w64)).

    x_zero: bits unknown from the first change until their first 0/1 read as known 0.
    """
    n = len(signal)
    nw = (width + 63) // 64
    if n == 0:
        return (np.zeros(0, np.int64), np.zeros((0, nw), np.uint64),
                np.zeros((0, nw), np.uint64))
    times, ones, knowns = [], [], []
    for a in range(0, n, _CHUNK):
        changes = signal[a:min(n, a + _CHUNK)]
        times.append(np.fromiter(map(itemgetter(0), changes), np.int64, len(changes)))
        one, known = _parse_values(list(map(itemgetter(1), changes)), width)
        ones.append(one)
        knowns.append(known)
        del changes
    t, one, known = ((times[0], ones[0], knowns[0]) if len(times) == 1 else
                     (np.concatenate(times), np.concatenate(ones), np.concatenate(knowns)))
    if x_zero:
        never_yet = ~np.bitwise_or.accumulate(known, axis=0) & _width_mask(width)
        known |= never_yet   # `one` is already 0 where unknown
    return t, one, known


def _width_mask(width: int) -> np.ndarray:
    nw = (width + 63) // 64
    mask = np.full(nw, _ALL, np.uint64)
    if width % 64:
        mask[-1] = np.uint64((1 << (width % 64)) - 1)
    return mask


def _parse_values(vals: list, width: int):
    """pywellen values (int without X/Z, else a bit string MSB first) as uint64 words."""
    n = len(vals)
    nw = (width + 63) // 64
    mask = _width_mask(width)
    is_str = np.fromiter(map(isinstance, vals, repeat(str)), bool, n)
    if not is_str.any() and nw == 1:
        one = np.array(vals, dtype=np.uint64).reshape(n, 1)
        return one, np.broadcast_to(mask, (n, 1)).copy()
    one = np.zeros((n, nw), np.uint64)
    known = np.broadcast_to(mask, (n, nw)).copy()
    obj = np.empty(n, dtype=object)
    obj[:] = vals
    ints = obj[~is_str]
    for k in range(nw):
        part = ints if nw == 1 else (ints >> (64 * k)) & ((1 << 64) - 1)
        one[~is_str, k] = part.astype(np.uint64)
    if is_str.any():
        strs = obj[is_str]
        if (np.fromiter(map(len, strs), np.int64, len(strs)) != width).any():
            raise ConfigError(f"a {width}-bit value of unexpected length in the waves")
        strs = strs.astype(f"<U{width}")
        codes = np.frombuffer(strs.tobytes(), np.uint32).reshape(-1, width)[:, ::-1]
        is_one = (codes == ord("1")) | (codes == ord("h")) | (codes == ord("H"))
        is_known = is_one | (codes == ord("0")) | (codes == ord("l")) | (codes == ord("L"))
        one[is_str] = _pack(is_one, nw)
        known[is_str] = _pack(is_known, nw)
    return one, known


def _pack(bits: np.ndarray, nw: int) -> np.ndarray:
    """bool (m, width) with column i = bit i, as uint64 words (m, nw)."""
    packed = np.packbits(bits, axis=1, bitorder="little")
    out = np.zeros((len(bits), nw * 8), np.uint8)
    out[:, :packed.shape[1]] = packed
    return out.view("<u8").astype(np.uint64)


def _bit_stats(t, one, known, width, bounds, closed):
    """Toggles, X transitions and high ticks per bit and window: int64 (width, n_windows) each."""
    nwin = len(bounds) - 1
    s, e = bounds[0], bounds[-1]
    toggles = np.zeros((width, nwin), np.int64)
    x_toggles = np.zeros((width, nwin), np.int64)
    high = np.zeros((width, nwin), np.int64)
    if len(t) == 0:
        return toggles, x_toggles, high
    # toggles: a change whose time is in [s, e) (or [s, e]) against the value before it
    later = t[1:]
    inside = (later >= s) & ((later <= e) if closed else (later < e))
    idx = np.flatnonzero(inside) + 1
    if len(idx):
        flips = (one[idx] ^ one[idx - 1]) & known[idx] & known[idx - 1]
        x_flips = known[idx] ^ known[idx - 1]   # to or from X/Z
        win = np.minimum(np.searchsorted(bounds, t[idx], "right") - 1, nwin - 1)
        keep = flips.any(axis=1)
        if keep.any():
            toggles = _group_bits(flips[keep], None, win[keep], nwin, width)
        keep = x_flips.any(axis=1)
        if keep.any():
            x_toggles = _group_bits(x_flips[keep], None, win[keep], nwin, width)
    # high time: segments between changes, cut at the window boundaries
    at_bound = np.searchsorted(t, bounds[:-1], "right") - 1   # value in force at each start
    strictly = np.flatnonzero((t > s) & (t < e))
    seg_t = np.concatenate([bounds[:-1], t[strictly]])
    seg_row = np.concatenate([at_bound, strictly])
    order = np.argsort(seg_t, kind="stable")
    seg_t, seg_row = seg_t[order], seg_row[order]
    dur = np.diff(np.append(seg_t, e))
    ok = (seg_row >= 0) & (dur > 0)
    if ok.any():
        rows = seg_row[ok]
        lit = one[rows]
        busy = lit.any(axis=1)
        if busy.any():
            win = np.searchsorted(bounds, seg_t[ok][busy], "right") - 1
            high = _group_bits(lit[busy], dur[ok][busy], win, nwin, width)
    return toggles, x_toggles, high


def _group_bits(words, weights, groups, n_groups, width):
    """Sum per group (sorted) of each bit of `words` (m, nw), optionally weighted.

    Returns (width, n_groups)."""
    out = np.zeros((n_groups, width), np.int64)
    chunk = max(1024, (1 << 22) // max(width, 1))
    for a in range(0, len(words), chunk):
        w = np.ascontiguousarray(words[a:a + chunk]).astype("<u8")
        g = groups[a:a + chunk]
        bits = np.unpackbits(w.view(np.uint8).reshape(len(w), -1), axis=1, count=width,
                             bitorder="little")
        vals = bits if weights is None else bits * weights[a:a + chunk, None]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        out[g[starts]] += np.add.reduceat(vals, starts, axis=0, dtype=np.int64)
    return out.T


def _bit_names(v: _Var) -> list[str]:
    if v.width == 1 and not v.indexed:
        return [v.rel]
    return [f"{v.rel}[{v.lsb_index + v.step * i}]" for i in range(v.width)]


# --------------------------------------------------------------------------- VCD indices

_INDEX = re.compile(r"^(.*\S)\s*\[\s*(-?\d+)\s*(?::\s*(-?\d+)\s*)?\]\s*$")


def _vcd_indices(path: Path, prefix: str, variables: list[_Var]) -> None:
    """Declared bit indices from the VCD header, where pywellen's own names lack them.

    Replays pywellen's reading of `$var` names (a trailing [msb:lsb] or [i] whose width
    matches is the index; the next declaration in a scope with the same name and an
    adjacent index is merged into the previous variable) and takes the indices of the
    scopes whose replay gives exactly pywellen's variables; other scopes keep LSB offsets.
    """
    declared = _vcd_declarations(path, prefix)
    by_scope: dict[str, list[_Var]] = {}
    for v in variables:
        by_scope.setdefault(v.parent, []).append(v)
    for scope_name, ours in by_scope.items():
        replay = declared.get(scope_name)
        if replay is None or len(replay) != len(ours):
            continue
        if any(r[0] != o.var.name or r[1] != o.width for r, o in zip(replay, ours, strict=True)):
            continue
        for (_, _, msb, lsb), v in zip(replay, ours, strict=True):
            if lsb is not None:
                v.lsb_index, v.step, v.indexed = lsb, (1 if msb >= lsb else -1), True


def _vcd_declarations(path: Path, prefix: str) -> dict[str, list]:
    """{scope: [(name, width, msb, lsb), ...]} after pywellen's merging, for scopes under prefix."""
    opener = gzip.open if path.suffix == ".gz" else open
    scopes: list[str] = []
    out: dict[str, list] = {}
    last_kind: dict[str, str] = {}   # what the previous item in each scope was
    text = []
    with opener(path, "rt", errors="replace") as handle:
        for line in handle:
            if "$enddefinitions" in line:
                break
            text.append(line)
    for match in re.finditer(r"\$(scope|upscope|var)\b(.*?)\$end", "".join(text), re.S):
        kind, body = match.group(1), match.group(2).split()
        if kind == "scope":
            last_kind[".".join(s for s in scopes if s)] = "scope"
            scopes.append(body[1] if len(body) >= 2 else "")
            continue
        if kind == "upscope":
            if scopes:
                scopes.pop()
            continue
        here = ".".join(s for s in scopes if s)
        if not (here == prefix or here.startswith(prefix + ".")) or len(body) < 4:
            continue
        try:
            width = int(body[1])
        except ValueError:
            continue
        raw = match.group(2).split(None, 3)[3].strip()
        name, msb, lsb = raw, None, None
        found = _INDEX.match(raw)
        if found:
            hi = int(found.group(2))
            lo = int(found.group(3)) if found.group(3) is not None else hi
            if abs(hi - lo) + 1 == width:
                name, msb, lsb = found.group(1), hi, lo
        entries = out.setdefault(here, [])
        prev = entries[-1] if entries and last_kind.get(here) == "var" else None
        last_kind[here] = "var"
        if prev is not None and msb is not None and prev[0] == name and prev[2] is not None:
            p_msb, p_lsb = prev[2], prev[3]
            if lsb == p_msb + 1:
                entries[-1] = (name, prev[1] + width, msb, p_lsb)
                continue
            if p_lsb == msb + 1:
                entries[-1] = (name, prev[1] + width, p_msb, lsb)
                continue
        entries.append((name, width, msb, lsb))
    return out
