"""`python -m bench [NAME ...]`: run the named benchmark modules (all of them by default)."""

from __future__ import annotations

import importlib
import sys

# In the order `make bench` runs them; each is a module in this package with `main(argv)`.
BENCHMARKS: tuple[str, ...] = ("scenario", "inspections", "booking", "feeds")


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    for name in names:
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"bench.{name}").main([])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
