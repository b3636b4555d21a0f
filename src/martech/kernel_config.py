"""Quiet the kernel's "running over TCP without encryption" warning in this environment.

Every notebook run prints it, and a marketer reads it as an alarm. It is about a network the
course never uses: the kernel listens on 127.0.0.1, and only this computer talks to it. Kernels
read ``<environment>/etc/ipython/ipython_kernel_config.json``; we write one there when there is
none (``martech workspace`` and ``make install`` do), and never change one that exists.

    python -m martech.kernel_config
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Only the kernel's own log: errors still show, and cell output is untouched.
CONFIG = {"IPKernelApp": {"log_level": "ERROR"}}


def install(prefix: str | Path = sys.prefix) -> Path | None:
    """Write the config into the environment at ``prefix``; return its path, or None if one was there."""
    target = Path(prefix) / "etc" / "ipython" / "ipython_kernel_config.json"
    if target.exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(CONFIG, indent=2) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    try:
        install()
    except OSError as error:  # a read-only environment: the warning stays, nothing else changes
        print(f"Could not quiet the kernel's TCP warning ({error}).", file=sys.stderr)
