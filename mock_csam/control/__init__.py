"""The `/_mock/` control API: stands in for INAMI and for the tester; registered only with --control-api."""
