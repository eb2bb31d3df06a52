"""An import with worker processes that stops in its progress callback, so that the test can
kill it (run as a script by test_worker_processes.py)."""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from teleprospect.services.database import open_database
from teleprospect.services.imports.leads import LeadImportRequest, import_leads


def main(folder: Path) -> None:
    path = folder / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["First Name", "Last Name", "Company", "Email", "Phone"])
        for i in range(10_000):
            writer.writerow([f"P{i}", "Person", f"Co {i}", f"p{i}@co{i}.example", "030 901820"])
    db = open_database(str(folder / "team.sqlite3")).db

    def stop_here(done: int, total: int) -> None:
        print("importing", flush=True)
        time.sleep(600)

    import_leads(db, LeadImportRequest(path=path, login="mia", parallel=True), progress=stop_here)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
