"""Helpers shared by the unit tests: what every control API refusal owes."""

from __future__ import annotations

from typing import Any


def api_errors(response: Any) -> list[dict[str, str]]:
    """The control API's `{"errors": [{"field", "message"}]}` body, checked for its shape."""
    body = response.get_json()
    assert set(body) == {"errors"}, body
    for error in body["errors"]:
        assert set(error) == {"field", "message"} and isinstance(error["message"], str) and error["message"]
    return body["errors"]
