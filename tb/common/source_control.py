"""The control side of a perturbation source (docs/perturbation-interface.md):
cfg_d_i, step_i and replay_i pulses in, idle_o and cfg_err_o out."""

from __future__ import annotations

from tb.common.ports import PortBus

PORTS = ("cfg_d_i", "step_i", "replay_i", "idle_o", "cfg_err_o")


class SourceControl:
    """Drives one-clock step/replay pulses and reads the engine's flags."""

    def __init__(self, dut, prefix: str = ""):
        self.bus = PortBus(dut, prefix, PORTS)
        self.release()
        self.bus.cfg_d.value = 0

    @property
    def idle(self) -> int:
        return int(self.bus.idle.value)

    @property
    def err(self) -> int:
        return int(self.bus.cfg_err.value)

    def pulse(self, kind: str, d: int | None = None) -> None:
        """Raise step_i ("step", with cfg_d_i = d) or replay_i ("replay") for the coming edge."""
        if kind not in ("step", "replay"):
            raise ValueError(f"a perturbation source takes step or replay pulses, not {kind!r}")
        getattr(self.bus, kind).value = 1
        if d is not None:
            self.bus.cfg_d.value = d

    def release(self) -> None:
        self.bus.step.value = 0
        self.bus.replay.value = 0

    def driven(self) -> tuple[int, int, int]:
        """(step_i, replay_i, cfg_d_i) as driven for the edge just passed."""
        bus = self.bus
        return int(bus.step.value), int(bus.replay.value), int(bus.cfg_d.value)
