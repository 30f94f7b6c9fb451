"""Run the benchmarks: ``python -m bench`` (all) or ``python -m bench ingest nlp``.

Options after one bench's name go to that bench: ``python -m bench concurrency --posts 20000 --db URL``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) > 1 and argv[1].startswith("-"):
        print(f"== bench {argv[0]} ==", flush=True)
        importlib.import_module(f"bench.{argv[0]}").main(argv[1:])
        return 0
    names = argv or sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_"))
    for name in names:
        print(f"== bench {name} ==", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
