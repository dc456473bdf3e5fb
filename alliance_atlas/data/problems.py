"""A data problem (file, row, column, message) and the error that carries a list of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DataError(Exception):
    """The data folder has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = "; ".join(str(p) for p in problems[:3])
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"{len(problems)} data problem(s): {head}{more}")
