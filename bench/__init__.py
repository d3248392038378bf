"""Benchmarks run by `make bench`; each module's `main(argv)` runs one family and prints its table."""
