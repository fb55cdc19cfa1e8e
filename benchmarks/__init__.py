"""Timings of the harness and the mock, run by hand (`python -m benchmarks.<name>`); not part of the test suite."""
