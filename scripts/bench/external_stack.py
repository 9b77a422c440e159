"""An already-running stack (--url): check that its servers run with the
environment the bench expects of them (its day, its SMS sink...)."""

from __future__ import annotations

from pathlib import Path


def environment_warnings(pids: dict[str, int], expected: dict[str, str]) -> list[str]:
    """Warnings for server processes whose environment differs from the bench's."""
    warnings = []
    for label, pid in pids.items():
        try:
            raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        env = dict(item.decode(errors="replace").partition("=")[::2] for item in raw)
        if "DATABASE_URL" not in env:  # not one of ours (nginx...)
            continue
        for name, value in expected.items():
            if env.get(name) != value:
                warnings.append(
                    f"{label}: {name}={env.get(name)!r}, expected {value!r}"
                )
    return warnings
