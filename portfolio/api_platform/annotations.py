"""The OpenAPI annotations the API's views carry, applied only when a schema is generated.

drf-spectacular's `extend_schema` builds a subclass of the schema class as it decorates, and so
loads its generator (and with it django.test and Jinja2) into every process that imports a view.
Here the views record their annotations and name their schema classes by path; the generator
applies them (`apply`, a preprocessing hook) before it looks at the first view, so the schema is
the same while a process that never asks for it never loads the generator.

The schema links of a write (`created`, `in_path`) live here too: views name them at import.
"""

import threading
from collections.abc import Callable

from django.utils.module_loading import import_string

_pending: list[tuple[Callable, dict]] = []
_applied = False
# Two threads may make the schema at once (runserver); applying may import more views.
_lock = threading.RLock()


def extend_schema(**kwargs) -> Callable[[Callable], Callable]:
    """Annotate a view's method as drf-spectacular's `extend_schema` does, once it is needed."""

    def annotate(method: Callable) -> Callable:
        with _lock:
            if _applied:  # a view imported after the generator started
                _extend(method, kwargs)
            else:
                _pending.append((method, kwargs))
        return method

    return annotate


def _extend(method: Callable, kwargs: dict) -> None:
    from drf_spectacular.utils import extend_schema as spectacular_extend_schema

    spectacular_extend_schema(**kwargs)(method)


def apply(endpoints: list) -> list:
    """Apply every recorded annotation; a drf-spectacular preprocessing hook (settings)."""
    global _applied
    with _lock:
        _applied = True
        while _pending:
            _extend(*_pending.pop(0))
    return endpoints


class SchemaClass:
    """A view's own schema class, named by dotted path and imported when the schema is made.

    It stands for the one instance a view class would hold (`schema = ReportsSchema()`), a
    descriptor that DRF both reads and sets."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._inspector = None

    def inspector(self):
        if self._inspector is None:
            self._inspector = import_string(self.path)()
        return self._inspector

    def __get__(self, view, owner):
        return self.inspector().__get__(view, owner)

    def __set__(self, view, schema) -> None:
        self.inspector().__set__(view, schema)


def created(operation_id: str, parameter: str, pointer: str = "/id") -> tuple[str, dict]:
    """Return a schema link to the read of what a write's answer names at `pointer`."""
    return operation_id, {parameter: f"$response.body#{pointer}"}


def in_path(operation_id: str, parameter: str) -> tuple[str, dict]:
    """Return a schema link to the read of what the write's own path names."""
    return operation_id, {parameter: f"$request.path.{parameter}"}
