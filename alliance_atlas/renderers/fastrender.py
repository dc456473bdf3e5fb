"""Folium renders each element's script once: text it has already rendered is not run through Jinja again.

branca's ``MacroElement.render`` renders an element's macros, then wraps the result in a new
``Element(template=<that text>)`` that it compiles and renders as a Jinja template a second time
(folium does the same for its ``includes`` statements). That second pass
- costs a Jinja compilation per element per rerun, for a map the largest single cost of a rerun
  (cProfile: ~36 compilations per rerun, ~150 of ~690 ms profiled; the text holds random element ids,
  so the compiled templates cannot be cached), and
- evaluates any Jinja syntax that reached the text from data: a tooltip or an uploaded overlay's
  property ``{{ 7*7 }}`` was drawn as ``49`` (server-side template injection; ``esc`` leaves braces).
Every ``Element(template=...)`` built by branca or folium gets text that is already final, so it is
kept as literal text here. Templates defined on classes (``_template = Template(...)``) are untouched.

Element ids: branca draws 16 bytes from ``os.urandom`` for each of the ~115 elements of a rerun, which
the loaded machine made ~0.25 ms a call (~30 ms a rerun, cProfile). Ids only need to be unique within
a page (streamlit-folium renames them anyway), so they are a per-process random prefix and a counter.
"""

from __future__ import annotations

import itertools
import secrets
import types

import branca.element

_NO_MACROS = types.SimpleNamespace()  # a template without macros: no header/html/script


class Literal:
    """Stands in for ``jinja2.Template`` where branca wraps already-rendered text: renders to it unchanged."""

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = source

    def render(self, *args, **kwargs) -> str:
        return self.source

    @property
    def module(self) -> types.SimpleNamespace:
        return _NO_MACROS


_PREFIX = secrets.token_hex(8)
_COUNTER = itertools.count()  # next() on it is atomic under the GIL: safe from every session's thread


def _generate_id(cls) -> str:
    return f"{_PREFIX}{next(_COUNTER):016x}"  # 32 hex digits, like branca's own ids


def install() -> None:
    """Make ``branca.element.Element(template=text)`` keep ``text`` as it is, and ids cheap (idempotent)."""
    branca.element.Template = Literal  # type: ignore[misc,assignment]  # deliberate: see the docstring
    branca.element.Element._generate_id = classmethod(_generate_id)  # type: ignore[method-assign,assignment]
