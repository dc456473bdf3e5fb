"""What an upload may cost (size, features, seconds, property size and depth, columns) and the clock that enforces time."""

from __future__ import annotations

import logging
import math
import os
import time
from dataclasses import dataclass
from typing import Any

from .report import Refuse

log = logging.getLogger(__name__)

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What an upload may cost. Defaults:

    ``max_bytes`` 20 MB ($ATLAS_OVERLAY_MAX_MB), ``max_features`` 50,000 features or CSV
    rows ($ATLAS_OVERLAY_MAX_FEATURES), ``max_seconds`` 5.0 ($ATLAS_OVERLAY_MAX_SECONDS),
    ``max_property_chars`` 10,000 per value (longer values are truncated),
    ``max_depth`` 20 levels of nesting in a property value (deeper is flattened),
    ``max_columns`` 500 distinct property names (more are ignored).
    """

    max_bytes: int = 20 * MB
    max_features: int = 50_000
    max_seconds: float = 5.0
    max_property_chars: int = 10_000
    max_depth: int = 20
    max_columns: int = 500

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """Defaults overridden by ATLAS_OVERLAY_MAX_MB, _MAX_FEATURES, _MAX_SECONDS.
        A value that is not a positive number is ignored (and logged)."""
        env = os.environ if environ is None else environ
        kwargs: dict[str, Any] = {}
        for var, name, conv in (
            ("ATLAS_OVERLAY_MAX_MB", "max_bytes", lambda v: int(float(v) * MB)),
            ("ATLAS_OVERLAY_MAX_FEATURES", "max_features", lambda v: int(float(v))),
            ("ATLAS_OVERLAY_MAX_SECONDS", "max_seconds", float),
        ):
            raw = env.get(var)
            if raw is None or not raw.strip():
                continue
            try:
                value = conv(raw.strip())
            except (ValueError, OverflowError):
                value = 0
            if not (math.isfinite(value) and value > 0):
                log.warning("%s=%r is not a positive number; using the default", var, raw)
                continue
            kwargs[name] = value
        return cls(**kwargs)


def megabytes(n: int) -> str:
    """A size in MB as shown in a message: whole above 10 MB or when exact, else one decimal."""
    value = n / MB
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


class Clock:
    """Time spent on one file, checked between steps (a step such as parsing JSON is not interrupted)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.start = time.monotonic()

    def check(self) -> None:
        if time.monotonic() - self.start > self.limits.max_seconds:
            raise Refuse(
                f"Reading the file took more than {self.limits.max_seconds:g} s, the limit "
                f"(ATLAS_OVERLAY_MAX_SECONDS). Simplify the geometries or split the file."
            )
