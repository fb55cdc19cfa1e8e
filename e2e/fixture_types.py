"""The types of the suites' callable fixtures (defined in e2e/conftest.py), for the tests' signatures, and how a
test parameter's message becomes the sentence the site shows through `say`."""

from __future__ import annotations

from collections.abc import Callable

from e2e.pages.access import UsersPage

# `say(text, **values)`: a French sentence of the mock as its pages show it in this run's language.
Say = Callable[..., str]

# `log_in_as(project, person, *, on=None)`: straight to the project's «Utilisateurs», logged in as the person.
LogInAs = Callable[..., UsersPage]

# A message in a test's parameters: the mock's French msgid, or a function of `say` for a message with values.
Message = str | Callable[[Say], str]


def sentence(say: Say, message: Message) -> str:
    """A parameter's message as the site shows it: a msgid, or a function of `say` for one with values."""
    return message(say) if callable(message) else say(message)
