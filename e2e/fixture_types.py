"""The types of the suites' callable fixtures (defined in e2e/conftest.py), for the tests' signatures."""

from __future__ import annotations

from collections.abc import Callable

from e2e.pages.access import UsersPage

# `say(text, **values)`: a French sentence of the mock as its pages show it in this run's language.
Say = Callable[..., str]

# `log_in_as(project, person, *, on=None)`: straight to the project's «Utilisateurs», logged in as the person.
LogInAs = Callable[..., UsersPage]
