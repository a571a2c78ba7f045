"""Benchmark scripts and the synthetic corpus they can run on (a package so `python -m benchmarks.synthetic_corpus` works)."""
