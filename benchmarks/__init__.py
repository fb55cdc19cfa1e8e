"""Load measurements of the served mock (not part of the test suite): run one with `python -m benchmarks.NAME`."""
