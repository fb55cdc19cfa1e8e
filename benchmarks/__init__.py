"""Benchmarks of the project itself: how long the test suites take and how much CPU they burn (suite.py)."""
