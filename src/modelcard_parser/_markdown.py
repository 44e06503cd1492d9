"""Step 4b: markdown-it-py over one section's own lines -> paragraphs, lists, tables.

This module holds the package's single ``MarkdownIt`` instance.  Token maps are
0-based line ranges of the parsed slice; they are shifted here to 1-based file lines.

Two repairs for hand-edited and prose-rewritten cards happen after markdown-it:

* paragraphs (or indented code) made of ``•`` lines become bullet lists;
* a paragraph holding a header line *without pipes* above a ``---|---`` delimiter row
  becomes a table, the header split on runs of spaces (MC306).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MD = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table")

_DELIM_ROW = re.compile(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*\Z")
_BULLET_CHARS = "•●▪◦‣"


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


def split_row(line: str) -> list[str]:
    """Split a pipe-table row on unescaped pipes, outer pipes optional."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
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


def _inline_after(tokens: list[Token], i: int) -> str:
    while i < len(tokens) and tokens[i].type != "inline":
        i += 1
    return tokens[i].content if i < len(tokens) else ""


def _close_index(tokens: list[Token], i: int) -> int:
    """Index of the token closing the one opened at i."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _list(tokens: list[Token], i: int, j: int, shift: int) -> BulletList:
    items: list[ListItem] = []
    k = i + 1
    while k < j:
        tok = tokens[k]
        if tok.type == "list_item_open":
            close = _close_index(tokens, k)
            line = (tok.map[0] if tok.map else 0) + shift
            text = ""
            children: list[ListItem] = []
            m = k + 1
            while m < close:
                inner = tokens[m]
                if inner.type == "paragraph_open" and not text:
                    text = _inline_after(tokens, m)
                    m = _close_index(tokens, m)
                elif inner.type in ("bullet_list_open", "ordered_list_open"):
                    sub_close = _close_index(tokens, m)
                    children.extend(_list(tokens, m, sub_close, shift).items)
                    m = sub_close
                m += 1
            items.append(ListItem(text, line, children))
            k = close
        k += 1
    start, end = tokens[i].map or (0, 0)
    return BulletList(items, start + shift, end + shift)


def _table(tokens: list[Token], i: int, j: int, shift: int, *, lines: list[str], base: int) -> Table:
    header: list[str] = []
    rows: list[TableRow] = []
    in_head = False
    k = i + 1
    while k < j:
        tok = tokens[k]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            close = _close_index(tokens, k)
            cells = [tokens[m].content for m in range(k, close) if tokens[m].type == "inline"]
            if in_head:
                header = cells
            else:
                line0 = tok.map[0] if tok.map else 0
                width = len(split_row(lines[line0 + base])) if tok.map else len(cells)
                rows.append(TableRow(cells, line0 + shift, width))
            k = close
        k += 1
    start, end = tokens[i].map or (0, 0)
    return Table(header, rows, start + shift, end + shift)


def _bullet_paragraph(text: str, line: int) -> BulletList | None:
    """A paragraph of '•' lines as a (possibly nested) list."""
    raw = text.split("\n")
    if not raw or not raw[0].lstrip().startswith(tuple(_BULLET_CHARS)):
        return None
    top: list[ListItem] = []
    stack: list[tuple[int, ListItem]] = []
    for offset, ln in enumerate(raw):
        body = ln.lstrip()
        indent = len(ln) - len(body)
        if body[:1] in _BULLET_CHARS and body[:1]:
            item = ListItem(body[1:].strip(), line + offset)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            (stack[-1][1].children if stack else top).append(item)
            stack.append((indent, item))
        elif stack and body:
            stack[-1][1].text += "\n" + body
    return BulletList(top, line, line + len(raw))


def _pipeless_table(text: str, line: int) -> Table | None:
    raw = text.split("\n")
    for idx in range(1, len(raw)):
        if _DELIM_ROW.match(raw[idx]) and "|" not in raw[idx - 1]:
            header = [c for c in re.split(r"\s{2,}|\t", raw[idx - 1].strip()) if c]
            rows = []
            for off, row in enumerate(raw[idx + 1 :], start=idx + 1):
                if "|" not in row:
                    break
                cells = split_row(row)
                rows.append(TableRow(cells, line + off, len(cells)))
            if len(header) >= 2 and rows:
                return Table(header, rows, line + idx - 1, line + idx + 1 + len(rows), True)
    return None


def parse_blocks(lines: list[str], start: int, end: int) -> list[Block]:
    """Paragraphs, lists and tables among file lines ``start`` to ``end - 1`` (1-based)."""
    if end <= start:
        return []
    base = start - 1
    text = "\n".join(lines[base : end - 1])
    tokens = _MD.parse(text)
    blocks: list[Block] = []
    shift = start
    slice_lines = lines[base : end - 1]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.level != 0 or tok.nesting == -1:
            i += 1
            continue
        if tok.type == "paragraph_open":
            close = _close_index(tokens, i)
            s, e = tok.map or (0, 0)
            content = _inline_after(tokens, i)
            repaired: Block | None = _bullet_paragraph(
                "\n".join(slice_lines[s:e]), s + shift
            ) or _pipeless_table("\n".join(slice_lines[s:e]), s + shift)
            blocks.append(repaired or Paragraph(content, s + shift, e + shift))
            i = close
        elif tok.type == "code_block" and tok.map:
            s, e = tok.map
            repaired_list = _bullet_paragraph("\n".join(slice_lines[s:e]), s + shift)
            if repaired_list:
                blocks.append(repaired_list)
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            close = _close_index(tokens, i)
            blocks.append(_list(tokens, i, close, shift))
            i = close
        elif tok.type == "table_open":
            close = _close_index(tokens, i)
            blocks.append(_table(tokens, i, close, shift, lines=lines, base=base))
            i = close
        i += 1
    return blocks
