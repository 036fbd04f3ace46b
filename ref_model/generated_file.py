"""Write a generated file, or with --check compare it (the ROM generators' one command line)."""

from __future__ import annotations

from pathlib import Path


def write_or_check(path: Path, text: str, module: str, argv: list[str], note: str = "") -> int:
    """`--check` in argv: 0 if `path` holds `text`, else 1 naming the command that rewrites it;
    otherwise write `text` to `path`."""
    if "--check" in argv:
        same = path.exists() and path.read_text() == text
        verdict = "up to date" if same else f"STALE: rerun python -m {module}"
        print(f"{path}: {verdict}")
        return 0 if same else 1
    path.write_text(text)
    print(f"wrote {path}{f' ({note})' if note else ''}")
    return 0
