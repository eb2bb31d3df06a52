#!/usr/bin/env python3
"""Set up a local environment and run Teleprospect or its tests.

    python3 dev.py run    [teleprospect arguments…]   set up, then open the app
    python3 dev.py test   [pytest arguments…]         set up, then run the whole test suite

Setting up means: a virtual environment in .venv with Teleprospect and its test
tools installed (done once, and again whenever pyproject.toml changes).
Needs only Python 3.11 or newer.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".teleprospect-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def set_up() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(
            f"dev.py: Teleprospect needs Python 3.11 or newer, this is {sys.version.split()[0]}"
        )
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV}")
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except (OSError, subprocess.CalledProcessError) as exc:
            sys.exit(
                f"dev.py: could not create {VENV} ({exc}). On Debian or Ubuntu install the "
                "python3-venv package first."
            )
    if STAMP.exists() and STAMP.read_text() == wanted_stamp():
        return
    say("installing Teleprospect and its test tools (first run only; this takes a minute)")
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-U", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted_stamp())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__.strip())
        return 2
    set_up()
    command, rest = argv[0], argv[1:]
    if command == "run":
        return subprocess.call([str(PYTHON), "-m", "teleprospect", *rest])
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
