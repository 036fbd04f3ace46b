"""The plots of the HTML regression report (plotly figures, drawn in the browser from the
run folder's copy of plotly.js): results and functional coverage per bench, proxy power per
bench and per activity window, and test durations."""

from __future__ import annotations

from collections import defaultdict

import plotly.graph_objects as go

STATUS_COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "error": "#6a1b9a", "timeout": "#ef6c00"}
MAX_WINDOW_TRACES = 12  # per-window power: the first tests that have windows


def bench_of(name: str) -> str:
    """lfsr, pool, ..., gl.lfsr for gate-level twins."""
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "gl" else parts[0]


def _html(fig: go.Figure, div_id: str) -> str:
    fig.update_layout(margin={"l": 50, "r": 20, "t": 40, "b": 80}, height=360)
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id)


def status_per_bench(tests: list[dict]) -> str:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for t in tests:
        counts[t["status"]][bench_of(t["name"])] += 1
    benches = sorted({bench_of(t["name"]) for t in tests})
    fig = go.Figure([go.Bar(name=s, x=benches, y=[counts[s][b] for b in benches],
                            marker_color=c) for s, c in STATUS_COLOURS.items() if counts[s]])
    fig.update_layout(barmode="stack", title="results per bench", yaxis_title="runs")
    return _html(fig, "plot-status")


def coverage_per_bench(coverage: dict) -> str:
    by_bench: dict[str, list[float]] = defaultdict(list)
    for name, c in coverage.items():
        by_bench[bench_of(name)].append(c["percent"])
    benches = sorted(by_bench)
    fig = go.Figure(go.Bar(x=benches, y=[sum(by_bench[b]) / len(by_bench[b]) for b in benches]))
    fig.update_layout(title="functional coverage per bench (mean over its tests, %)",
                      yaxis_range=[0, 100])
    return _html(fig, "plot-coverage")


def power_per_bench(tests: list[dict]) -> str | None:
    by_bench: dict[str, list[float]] = defaultdict(list)
    for t in tests:
        if (t.get("power") or {}).get("proxy_uw") is not None:
            by_bench[bench_of(t["name"])].append(t["power"]["proxy_uw"])
    if not by_bench:
        return None
    benches = sorted(by_bench)
    fig = go.Figure(go.Bar(x=benches, y=[sum(by_bench[b]) / len(by_bench[b]) for b in benches]))
    fig.update_layout(title="proxy power per bench (mean over its runs, uW)", yaxis_type="log")
    return _html(fig, "plot-power")


def power_per_window(tests: list[dict]) -> str | None:
    traces = [go.Scatter(y=t["power"]["proxy_windows_uw"], mode="lines",
                         name=f"{t['name']} s{t['seed']} {t['simulator']}")
              for t in tests if (t.get("power") or {}).get("proxy_windows_uw")]
    if not traces:
        return None
    fig = go.Figure(traces[:MAX_WINDOW_TRACES])
    fig.update_layout(title="proxy power per activity window (uW)", xaxis_title="window",
                      showlegend=True)
    return _html(fig, "plot-windows")


def durations(tests: list[dict]) -> str:
    ordered = sorted(tests, key=lambda t: -t["duration_s"])
    fig = go.Figure(go.Bar(x=[f"{t['name']} s{t['seed']} {t['simulator']}" for t in ordered],
                           y=[t["duration_s"] for t in ordered]))
    fig.update_layout(title="wall time per run (s)", xaxis_showticklabels=len(ordered) <= 40)
    return _html(fig, "plot-durations")


def all_plots(data: dict) -> list[str]:
    tests = data["tests"]
    if not tests:
        return []
    plots = [status_per_bench(tests), coverage_per_bench(data["coverage"]) if data["coverage"]
             else None, power_per_bench(tests), power_per_window(tests), durations(tests)]
    return [p for p in plots if p]
