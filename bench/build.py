"""`python -m bench.build BACKEND OUT.json LABEL... [--rebuild]`: build (or find) the
benchmark's databases of one kind and write what was done to OUT.json. `python -m bench` runs
it in a child process for PostgreSQL while it builds the SQLite databases itself: the two
builds keep both cores busy, and a first run takes minutes less."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

from bench import databases


def main(argv: list[str]) -> int:
    rebuild = "--rebuild" in argv
    backend, out, *labels = [a for a in argv if a != "--rebuild"]
    built = {}
    for label in labels:
        result = databases.ensure(
            backend, label, log=lambda m: print(f"  [{backend}] {m}", flush=True), rebuild=rebuild
        )
        built[label] = asdict(result)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(built, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
