"""The actions the manual's instructions name (`Class.method`): the page objects' methods (e2e/pages) and, for what
the back office does, the mock's seeder (e2e/seeding.py); finding them by name, and listing every action the page
objects define, so the coverage test can check instructions and page objects against each other."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

PAGES_PACKAGE = "e2e.pages"
BACK_OFFICE_MODULE = "e2e.seeding"
# Methods of page objects that are not actions: where a page is, waiting for it, finding things on it.
NOT_ACTIONS = frozenset({"path_for", "wait_until_ready", "submit_and_stay", "h1", "next_page", "label", "path"})
# Return annotations of methods that find or read rather than act.
READERS = frozenset({"Locator", "str", "bool", "int", "None"})


@lru_cache(maxsize=1)
def action_classes() -> dict[str, type]:
    """Every class defined in the page-object modules and the back office's seeder, by name (looked up once:
    the walkthrough resolves an action per instruction)."""
    found: dict[str, type] = {}
    package = importlib.import_module(PAGES_PACKAGE)
    modules = [
        importlib.import_module(f"{PAGES_PACKAGE}.{info.name}") for info in pkgutil.iter_modules(package.__path__)
    ]
    for module in [*modules, importlib.import_module(BACK_OFFICE_MODULE)]:
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                found[name] = cls
    return found


def resolve_action(name: str) -> Callable[..., Any]:
    """The method an action name (`Class.method`) stands for; LookupError when there is none."""
    class_name, _, method = name.partition(".")
    cls = action_classes().get(class_name)
    if cls is None:
        raise LookupError(f"{name}: no class {class_name} in {PAGES_PACKAGE} or {BACK_OFFICE_MODULE}")
    function = cls.__dict__.get(method)
    if isinstance(function, staticmethod):
        function = function.__func__
    if not callable(function):
        raise LookupError(f"{name}: {class_name} defines no method {method}")
    return function


def page_object_actions() -> Iterator[str]:
    """Every action the page objects define (`Class.method`): public methods that do something on the page
    (not the ones that find or read what it shows, see READERS and NOT_ACTIONS)."""
    package_prefix = PAGES_PACKAGE + "."
    for class_name, cls in sorted(action_classes().items()):
        if not cls.__module__.startswith(package_prefix):
            continue
        for method, function in vars(cls).items():
            if isinstance(function, staticmethod):
                function = function.__func__
            if method.startswith("_") or method in NOT_ACTIONS or not inspect.isfunction(function):
                continue
            if function.__annotations__.get("return") in READERS:
                continue
            yield f"{class_name}.{method}"
