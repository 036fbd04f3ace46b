"""The RTL's include files (rtl/*.vh): one include directory for every simulator build and
synthesis, and their contents in every build and synthesis cache key (an edited register
map must rebuild every design that includes it)."""

from __future__ import annotations

from pathlib import Path

RTL_DIR = Path(__file__).resolve().parent.parent / "rtl"


def include_dirs() -> list[Path]:
    return [RTL_DIR]


def headers_digest() -> bytes:
    """The bytes of every include file, in name order (for cache keys)."""
    return b"".join(path.read_bytes() for path in sorted(RTL_DIR.glob("*.vh")))
