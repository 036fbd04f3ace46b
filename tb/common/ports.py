"""Ports of the DUT attached by name prefix, in the style of cocotbext-axi's
`Bus.from_prefix`: an agent names the ports it needs once, and a DUT whose ports
carry another prefix (or lack one) is reported in one line at attach time."""

from __future__ import annotations


class PortBus:
    """Handles of dut.<prefix><port> for each port, as attributes named without the
    _i/_o suffix: PortBus(dut, "m_", ("valid_o", "ready_i")).valid is dut.m_valid_o."""

    def __init__(self, dut, prefix: str, ports: tuple[str, ...]):
        missing = [prefix + port for port in ports if not hasattr(dut, prefix + port)]
        if missing:
            raise AttributeError(f"{dut._name} has no port {', '.join(missing)} "
                                 f"(attaching by prefix '{prefix}')")
        for port in ports:
            setattr(self, port.rsplit("_", 1)[0], getattr(dut, prefix + port))
