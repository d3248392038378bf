"""`python -m bench [NAME ...]`: run the named benchmark modules (all of them by default).

`python -m bench NAME --option ...` runs one benchmark with its own options
(`python -m bench roster --help` lists them).
"""

from __future__ import annotations

import importlib
import sys

# In the order `make bench` runs them; each is a module in this package with `main(argv)`.
BENCHMARKS: tuple[str, ...] = ("scenario", "inspections", "booking", "feeds", "hours", "roster")
# Run only when named: diagnostics of where a benchmark's gap sits.
DIAGNOSTICS: tuple[str, ...] = ("parts",)


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        print(f"known: {', '.join(BENCHMARKS)}; diagnostics, run only when named: {', '.join(DIAGNOSTICS)}")
        return 0
    options: list[str] = []
    if any(arg.startswith("-") for arg in argv) or (argv and argv[0] in DIAGNOSTICS):
        # One benchmark and its own options: `python -m bench roster 13 14 --time-limit 600`;
        # a diagnostic always takes its own arguments (`python -m bench parts hours rusumo`).
        names, options = argv[:1], argv[1:]
    else:
        names = argv or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS + DIAGNOSTICS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS + DIAGNOSTICS)}")
        return 2
    for name in names:
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"bench.{name}").main(options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
