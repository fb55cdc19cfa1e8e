"""Benchmarks of the project (not part of the test suite): the suites' time and CPU (suite.py), the served mock
under load (served_mock.py), HTTP vs in-process seeding (seeding.py). `python -m benchmarks` runs them all."""
