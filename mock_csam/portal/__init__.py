"""The eHealth portal pages a project follows to reach CSAM (steps 2.1-2.5, 3.1-3.5, 4.1-4.5)."""
