"""Feature properties made flat {name: plain string} rows, with the depth, length and column limits applied."""

from __future__ import annotations

import json
import math

from .limits import Limits
from .report import Report, short


def depth(value: object, limit: int) -> int:
    """Nesting depth of a JSON value (a scalar is 0), counted iteratively; stops past ``limit``."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, (dict, list)):
            d += 1
            deepest = max(deepest, d)
            if d > limit:
                return d
            stack.extend((v, d) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def cut(value: object, levels: int) -> object:
    """``value`` with everything below ``levels`` of nesting replaced by "…"."""
    if isinstance(value, dict):
        return {k: cut(v, levels - 1) for k, v in value.items()} if levels > 0 else "…"
    if isinstance(value, list):
        return [cut(v, levels - 1) for v in value] if levels > 0 else "…"
    return value


def text(value: object) -> str:
    """A JSON value as a plain string: null → "", booleans as JSON, non-finite floats → "", containers as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


class Props:
    """Turns property dicts into flat {name: str} rows with the limits applied."""

    def __init__(self, limits: Limits, rep: Report):
        self.limits = limits
        self.rep = rep
        self.columns: dict[str, None] = {}
        self.ignored: set[str] = set()

    def name(self, key: str) -> str | None:
        key = key[:200]
        if key == "geometry":
            key = "geometry_"
        if key in self.columns:
            return key
        if len(self.columns) >= self.limits.max_columns:
            self.ignored.add(key)
            return None
        self.columns[key] = None
        return key

    def row(self, props: dict, repairs: list[tuple[str, str]]) -> dict[str, str]:
        lim = self.limits
        out: dict[str, str] = {}
        deep, long = [], []
        for key, value in props.items():
            col = self.name(str(key))
            if col is None:
                continue
            if isinstance(value, (dict, list)) and depth(value, lim.max_depth) > lim.max_depth:
                deep.append(col)
                value = cut(value, lim.max_depth)
            flat = text(value)
            if len(flat) > lim.max_property_chars:
                long.append((col, len(flat)))
                flat = flat[: lim.max_property_chars - 1] + "…"
            out[col] = flat
        if deep:
            repairs.append(
                (
                    f"with properties nested deeper than {lim.max_depth} levels (flattened to text)",
                    f"property {short(deep[0])!r} is nested deeper than {lim.max_depth} levels — "
                    f"flattened to JSON text, deeper levels replaced by '…'",
                )
            )
        if long:
            col, n = long[0]
            repairs.append(
                (
                    f"with property values truncated to {lim.max_property_chars:,} characters",
                    f"property {short(col)!r} has {n:,} characters — truncated to {lim.max_property_chars:,}",
                )
            )
        return out

    def note(self) -> None:
        if self.ignored:
            self.rep.notes.append(
                f"{len(self.ignored):,} property names beyond the first {self.limits.max_columns:,} ignored"
            )
