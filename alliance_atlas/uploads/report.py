"""What one upload tells its user: the result, the refusal and drop signals, row messages and the summary line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

MAX_PROBLEMS = 200  # row-level messages kept; the counts in ``message`` stay complete


@dataclass
class OverlayResult:
    """``ok`` with a GeoDataFrame in EPSG:4326, or a refusal whose ``message`` says why and what to do."""

    ok: bool
    gdf: gpd.GeoDataFrame | None
    message: str
    problems: list[str] = field(default_factory=list)
    loaded: int = 0
    dropped: int = 0
    repaired: int = 0
    needs_columns: list[str] | None = None


class Refuse(Exception):
    """The whole file is refused; ``message`` is the user-facing sentence."""

    def __init__(self, message: str, needs_columns: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.needs_columns = needs_columns


class Drop(Exception):
    """One feature is dropped: ``reason`` is the count key, ``detail`` the row message."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def num(x: float) -> str:
    """A coordinate as shown in a message: thousands separated when large, 6 significant digits otherwise."""
    return f"{x:,.0f}" if abs(x) >= 1e5 else f"{x:.6g}"


def short(text: str, n: int = 40) -> str:
    """User text quoted in a message: whitespace collapsed, cut to ``n`` characters with '…'."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class Report:
    """Counts and row messages for one file."""

    def __init__(self, unit: str):
        self.unit = unit  # "feature" (GeoJSON, numbered from 1) or "row" (CSV line number, header = 1)
        self.problems: list[tuple[int, str]] = []
        self.hidden = 0
        self.dropped: Counter[str] = Counter()
        self.repairs: Counter[str] = Counter()
        self.repaired_rows = 0
        self.notes: list[str] = []

    def say(self, where: int, text: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.hidden += 1
            return
        self.problems.append((where, f"{self.unit} {where}: {text}"))

    def drop(self, where: int, reason: str, detail: str) -> None:
        self.dropped[reason] += 1
        self.say(where, f"{detail} — dropped")

    def repair(self, where: int, kinds: list[tuple[str, str]]) -> None:
        if not kinds:
            return
        self.repaired_rows += 1
        for kind, detail in kinds:
            self.repairs[kind] += 1
            self.say(where, detail)

    def final_problems(self) -> list[str]:
        out = [text for _, text in sorted(self.problems, key=lambda p: p[0])]
        if self.hidden:
            out.append(f"… and {self.hidden:,} more (the counts in the summary are complete)")
        return out

    def why(self) -> str:
        """The drop reasons, most frequent first: "3 with null coordinates, 1 that are not Features"."""
        return ", ".join(f"{n:,} {_phrase(reason)}" for reason, n in self.dropped.most_common())

    def summary(self, loaded: int, total: int) -> str:
        parts = [f"Loaded {loaded:,} of {total:,} {self._units()}"]
        n_drop = sum(self.dropped.values())
        if n_drop:
            parts.append(f"{n_drop:,} dropped ({self.why()})")
        if self.repaired_rows:
            what = ", ".join(f"{n:,} {kind}" for kind, n in self.repairs.most_common())
            parts.append(f"{self.repaired_rows:,} repaired ({what})")
        parts.extend(self.notes)
        return "; ".join(parts) + "."

    def result(self, rows: list[dict[str, str]], geoms: list, columns: dict[str, None], total: int) -> OverlayResult:
        """The outcome of a file whose features were read: ok with a frame, or refused when none was kept."""
        loaded = len(geoms)
        dropped = sum(self.dropped.values())
        if loaded == 0:
            return OverlayResult(
                False,
                None,
                f"No {self._units()} could be loaded: all {total:,} were dropped ({self.why()}).",
                self.final_problems(),
                0,
                dropped,
                0,
            )
        return OverlayResult(
            True,
            _frame(rows, geoms, columns),
            self.summary(loaded, total),
            self.final_problems(),
            loaded,
            dropped,
            self.repaired_rows,
        )

    def _units(self) -> str:
        return "rows" if self.unit == "row" else "features"


def _phrase(reason: str) -> str:
    return reason if reason.startswith(("that ", "without ")) else f"with {reason}"


def _frame(rows: list[dict[str, str]], geoms: list, columns: dict[str, None]) -> gpd.GeoDataFrame:
    cols = list(columns)
    frame = pd.DataFrame({c: [r.get(c, "") for r in rows] for c in cols}, index=range(len(geoms)), dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326").values, crs="EPSG:4326")
