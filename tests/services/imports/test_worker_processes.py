"""The worker processes of an import end when the import's process is killed (issue 13)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("orphaned_import.py")

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads processes from /proc"
)


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_end_when_the_import_is_killed(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    importing = subprocess.Popen(
        [sys.executable, str(SCRIPT), str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert importing.stdout is not None
        assert importing.stdout.readline().strip() == "importing"
        workers = children_of(importing.pid)
        assert len(workers) >= 2, "the import runs with worker processes"
        importing.send_signal(signal.SIGKILL)
        importing.wait(10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(running(pid) for pid in workers):
            time.sleep(0.1)
        left = [pid for pid in workers if running(pid)]
        for pid in left:  # do not leave them to the next test run
            os.kill(pid, signal.SIGKILL)
        assert left == [], "worker processes outlived the import that started them"
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.wait()
