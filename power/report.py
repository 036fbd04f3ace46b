"""Power results for people and programs: OpenSTA's report_power table, JSON, a PNG."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from power.engine import GROUPS, PowerResult

PARTS = ("internal", "switching", "leakage", "total")


def table(result: PowerResult, digits: int = 2) -> str:
    """The layout of OpenSTA's `report_power`, group by group, in watts."""
    width = max(digits + 6, 10)

    def cell(value: float) -> str:
        return f" {value:{width}.{digits}e}"

    def title(*words: str) -> str:
        return "".join(f" {w:>{width}}" for w in words)

    rule = "-" * (20 + 4 * (width + 1))
    lines = [f"{'Group':<20}" + title("Internal", "Switching", "Leakage", "Total"),
             f"{'':<20}" + title("Power", "Power", "Power", "Power") + " (Watts)", rule]
    total = result.total()
    grand = total["total"] or 1.0
    for group in GROUPS:
        row = result.group(group)
        lines.append(f"{group.capitalize():<20}" + "".join(cell(row[k]) for k in PARTS)
                     + f" {100 * row['total'] / grand:5.1f}%")
    shares = "".join(f" {100 * total[k] / grand:>{width - 1}.1f}%" for k in PARTS[:3])
    lines += [rule, f"{'Total':<20}" + "".join(cell(total[k]) for k in PARTS) + f" {100.0:5.1f}%",
              f"{'':<20}" + shares]
    return "\n".join(lines)


def to_json(result: PowerResult, top_instances: int = 20) -> dict:
    total = result.total()
    per_inst = result.per_instance_total()
    order = np.argsort(-per_inst)[:top_instances]
    return {"design": result.design, "source": result.source, "setup": result.setup,
            "total": total, "groups": {g: result.group(g) for g in GROUPS},
            "hierarchy": result.by_hierarchy(),
            "windows": {"start_s": result.window_start.tolist(),
                        "total_w": result.per_window_total().tolist()},
            "annotated_nets": result.annotated_nets, "unannotated_nets": result.unannotated,
            "blackboxes": dict(result.blackboxes),
            "top_instances": [{"instance": result.instances[i], "cell": result.cell_types[i],
                               "group": result.groups[i], "total_w": float(per_inst[i])}
                              for i in order]}


def write_json(result: PowerResult, path: Path) -> None:
    path.write_text(json.dumps(to_json(result), indent=1))


def plot_windows(result: PowerResult, path: Path) -> None:
    """Total power per window, stacked by group."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    start = result.window_start[:-1] * 1e9
    width = np.diff(result.window_start) * 1e9
    fig, ax = plt.subplots(figsize=(8, 3.5))
    bottom = np.zeros(len(start))
    for group in GROUPS:
        values = result.per_window_group(group) * 1e6
        if values.any():
            ax.bar(start, values, width=width, bottom=bottom, align="edge", label=group)
            bottom += values
    ax.set_xlabel("time (ns)")
    ax.set_ylabel("power (uW)")
    ax.set_title(f"{result.design}: power per window")
    ax.legend(loc="upper right", fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
