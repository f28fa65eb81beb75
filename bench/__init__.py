"""Benchmark scripts: run as ``python -m bench.<name>``; they print tables, they assert nothing."""
