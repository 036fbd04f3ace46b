"""cocotb runners adapted to this project.

Verilator: cocotb's runner always adds --public-flat-rw, which makes every
signal VPI-writable and slows the model a lot. Our testbenches only touch
the top-level ports (lowRISC names: *_i, *_o, *_ni), so a control file makes
just those public. Waves are FST, or VCD when asked (wave_format="vcd": pywellen loads a
VCD's signals at once, an FST's one by one, which matters for netlist-sized dumps).

verilator-sc: the same Verilator build with --sc, inside a SystemC top generated from the
design's elaborated ports (tb/systemc: ports.py, top_gen.py, the bridge in cosim.cpp), with
an attachment's SystemC models when a test names one (tb/systemc/attachments.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import cocotb_tools.config
from cocotb_tools.runner import Icarus, Runner, Verilator

from ref_model.errors import ConfigError
from tb.systemc import attachments
from tb.systemc.attachments import vpi_scope

SYSTEMC_DIR = Path(__file__).resolve().parent / "systemc"
# what every verilator-sc build compiles or runs besides an attachment's models
BRIDGE_SOURCES = ("cosim.cpp", "config_error.cpp", "top_gen.py", "ports.py", "attachments.py")

PORT_PATTERNS = ("*_i", "*_o", "*_ni", "*_no")
VERILATOR_BUILD_ARGS = ["-Wall", "-Wno-DECLFILENAME", "--x-assign", "unique",
                        "--x-initial", "unique", "-CFLAGS", "-O2"]
# Gate level: yosys-written netlist and cell models, not our code: no lint, warnings
# are not fatal (the cell models leave internal nets unused, for one); yosys names
# its nets _N_, which Verilator leaves out of waves without --trace-underscore.
VERILATOR_GL_BUILD_ARGS = ["-Wno-fatal", "-Wno-lint", "-Wno-style", "--trace-underscore",
                           "--x-assign", "unique",
                           "--x-initial", "unique", "-CFLAGS", "-O2"]


class _WaveFormat:
    """A runner that records FST waves, or VCD when asked."""

    def __init__(self, wave_format: str | None = None):
        super().__init__()
        self.wave_format = wave_format or "fst"


class ProjectVerilator(_WaveFormat, Verilator):
    """Verilator without --public-flat-rw, with FST (or VCD) waves; with a main attachment
    (tb/systemc/attachments.py) our C++ main instead of cocotb's."""

    def __init__(self, wave_format: str | None = None, attachment: str | None = None):
        super().__init__(wave_format)
        self.attachment = attachments.get(attachment) if attachment else None

    def _build_command(self):
        cmds = super()._build_command()
        compile_cmd = [arg for arg in cmds[0] if arg != "--public-flat-rw"]
        if self.attachment and self.attachment.main:
            compile_cmd = [arg for arg in compile_cmd if arg != _cocotb_main()]
            compile_cmd += ["-CFLAGS", f"-I{SYSTEMC_DIR}"] + [
                part for define in self.attachment.defines(self.parameters)
                for part in ("-CFLAGS", define)] + self._attachment_sources()
        compile_cmd.append(str(self._port_control_file()))
        if self.waves and self.wave_format == "fst":
            compile_cmd = ["--trace-fst" if arg == "--trace" else arg for arg in compile_cmd]
        # The PyPI wheel's verilated.mk leaves CFG_CXXFLAGS_PCH_I empty, so a model big
        # enough to be split into several files (gate-level netlists) fails to compile
        # against its precompiled header; gcc's flag is -include.
        make_cmd = list(cmds[1]) + ["CFG_CXXFLAGS_PCH_I=-include"]
        return [compile_cmd, make_cmd] + cmds[2:]

    def _waves_file(self) -> str | None:
        return f"dump.{self.wave_format}"

    def _port_control_file(self):
        path = self.build_dir / "ports.vlt"
        lines = ["`verilator_config"] + [
            f'public_flat_rw -module "{self.hdl_toplevel}" -var "{pattern}"'
            for pattern in PORT_PATTERNS] + [
            f'public_flat_rd -module "{module}" -var "{var}"' for module, var in self._readable()]
        path.write_text("\n".join(lines) + "\n")
        return path

    def _readable(self) -> tuple[tuple[str, str], ...]:
        """Internal variables the attachment's C++ reads through VPI."""
        return self.attachment.public if self.attachment else ()

    def _attachment_sources(self) -> list[str]:
        return [str(SYSTEMC_DIR / f) for f in self.attachment.sources] if self.attachment else []

    def _test_command(self):
        cmds = super()._test_command()
        if self.waves:
            cmds[0] += ["--trace-file", str(self.test_dir / f"dump.{self.wave_format}")]
        return cmds


class ProjectVerilatorSc(ProjectVerilator):
    """verilator-sc: port list (--json-only), generated top, --sc build with the bridge."""

    MIRROR_INPUTS = True  # False only in the test that shows the mirrors matter

    def _build_command(self):
        verilate, *rest = super()._build_command()
        tree_json = self.build_dir / "ports" / "Vtop.tree.json"
        top_cpp = self.build_dir / "pezo_sc_top.cpp"
        verilate = ["--sc" if arg == "-cc" else arg for arg in verilate if arg != _cocotb_main()]
        verilate += ["-CFLAGS", f"-I{SYSTEMC_DIR}", str(top_cpp)] + [
            str(SYSTEMC_DIR / f) for f in BRIDGE_SOURCES if f.endswith(".cpp")]
        return [self._ports_command(tree_json.parent), self._generate_command(tree_json, top_cpp),
                verilate + self._attachment_sources(), *rest]

    def _generate_command(self, tree_json: Path, top_cpp: Path) -> list[str]:
        generate = [sys.executable, "-m", "tb.systemc.top_gen", str(tree_json), str(top_cpp)]
        generate += [] if self.MIRROR_INPUTS else ["--no-mirror"]
        if self.attachment:
            generate += ["--attach", self.attachment.name]
            generate += [f"--param={k}={v}" for k, v in self.parameters.items()
                         if k in self.attachment.params]
        return generate

    def _ports_command(self, out_dir: Path) -> list[str]:
        """Elaborate only, writing the JSON tree the top is generated from."""
        sources = [str(s.value) for s in self._sources + self._verilog_sources]
        timescale = ["--timescale", "/".join(self.timescale)] if self.timescale else []
        return ([self.executable, "--json-only", "-Wno-fatal", "-Mdir", str(out_dir),
                 "--prefix", "Vtop", "--top-module", self.hdl_toplevel, *timescale]
                + self._get_define_options(self.defines)
                + self._get_include_options(self.includes)
                + self._get_parameter_options(self.parameters) + sources)

    def _set_env_test(self) -> None:
        super()._set_env_test()
        # cocotb drops the first dotted part of the toplevel as a library name
        self.env["COCOTB_TOPLEVEL"] = f"top.{vpi_scope(self.sim_hdl_toplevel)}"


class ProjectIcarus(_WaveFormat, Icarus):
    """Icarus with FST waves, or VCD (vvp -vcd instead of cocotb's -fst)."""

    def _test_command(self):
        cmds = super()._test_command()
        if self.wave_format == "vcd":
            cmds = [["-vcd" if arg == "-fst" else arg for arg in cmd] for cmd in cmds]
        return cmds


def _cocotb_main() -> str:
    return str(cocotb_tools.config.share_dir / "lib" / "verilator" / "verilator.cpp")


def check_attachment(simulator: str, attachment: str | None) -> None:
    """An attachment builds on its own simulator only (SystemC models: verilator-sc)."""
    if attachment and attachments.get(attachment).simulator != simulator:
        raise ConfigError(f"attachment '{attachment}' needs --sim "
                          f"{attachments.get(attachment).simulator}, not {simulator}")


def make_runner(simulator: str, wave_format: str | None = None,
                attachment: str | None = None) -> Runner:
    """The runner of `simulator`; `attachment` (SystemC models) only on verilator-sc."""
    check_attachment(simulator, attachment)
    if simulator == "verilator":
        return ProjectVerilator(wave_format, attachment)
    if simulator == "verilator-sc":
        return ProjectVerilatorSc(wave_format, attachment)
    if simulator == "icarus":
        return ProjectIcarus(wave_format)
    raise ValueError(f"unknown simulator '{simulator}'")


def waves_scope(simulator: str, toplevel: str) -> str:
    """The design's top scope in its waves: verilator-sc's model sits inside the SystemC top."""
    return vpi_scope(toplevel) if simulator == "verilator-sc" else toplevel


def runner_sources(simulator: str, attachment: str | None = None) -> list[Path]:
    """Files of ours a build compiles or runs (its cache key hashes them): the bridge and
    the top's generator on verilator-sc, an attachment's C++, and every header of the
    library (they include one another). A change to one model rebuilds only its builds."""
    names = list(BRIDGE_SOURCES) if simulator == "verilator-sc" else []
    names += list(attachments.get(attachment).sources) if attachment else []
    if not names:
        return []
    headers = sorted(p.name for p in SYSTEMC_DIR.glob("*.h"))
    return [SYSTEMC_DIR / name for name in dict.fromkeys(names + headers)]


def build_args(simulator: str, gate_level: bool = False) -> list[str]:
    if simulator not in ("verilator", "verilator-sc"):
        return []
    return list(VERILATOR_GL_BUILD_ARGS if gate_level else VERILATOR_BUILD_ARGS)
