"""The blocks :func:`._markdown.parse_blocks` returns, and the pipe-row splitter.

A module of its own so that both builders of blocks, the walk over markdown-it's tokens
(:mod:`._markdown`) and the fast path (:mod:`._fastmd`), make the same dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "BULLET_CHARS",
    "BULLET_START",
    "Block",
    "BulletList",
    "ListItem",
    "Paragraph",
    "Table",
    "TableRow",
    "split_row",
]


@dataclass(slots=True)
class Paragraph:
    """A paragraph's raw inline text (markdown kept) and its lines."""

    text: str
    line: int
    end: int


@dataclass(slots=True)
class ListItem:
    """One bullet: its first paragraph's raw text (continuation lines joined by newlines)."""

    text: str
    line: int
    children: list[ListItem] = field(default_factory=list)


@dataclass(slots=True)
class BulletList:
    """A bullet (or ordered) list."""

    items: list[ListItem]
    line: int
    end: int


@dataclass(slots=True)
class TableRow:
    """A body row: cell texts as written (trimmed) and its file line."""

    cells: list[str]
    line: int
    width: int
    """How many cells the source line really had (before padding)."""


@dataclass(slots=True)
class Table:
    """A table: header texts and rows, with the header's file line."""

    header: list[str]
    rows: list[TableRow]
    line: int
    end: int
    recovered: bool = False
    """True when rebuilt from a header without pipes (MC306)."""


Block = Paragraph | BulletList | Table

BULLET_CHARS = "•●▪◦‣"
"""Bullets of hand-written lists that markdown does not know (repaired into lists)."""
BULLET_START = tuple(BULLET_CHARS)


def split_row(line: str) -> list[str]:
    """Split a pipe-table row on unescaped pipes, outer pipes optional."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    if "\\" not in s and "`" not in s:  # fast path, same cells: no escapes, no code spans
        return [cell.strip() for cell in s.split("|")]
    cells: list[str] = []
    cur: list[str] = []
    in_code = False
    escaped = False
    for ch in s:
        if escaped:
            cur.append(ch)
            escaped = False
        elif ch == "\\":
            cur.append(ch)
            escaped = True
        elif ch == "`":
            in_code = not in_code
            cur.append(ch)
        elif ch == "|" and not in_code:
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    cells.append("".join(cur).strip())
    return cells
