"""Benchmarks (not part of the test suite): ``bash bench/run.sh`` or ``python -m bench [name…]``."""
