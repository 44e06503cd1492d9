"""Step 4b: markdown-it-py over one section's own lines -> paragraphs, lists, tables.

This module holds the package's single ``MarkdownIt`` instance.  For plain sections
:mod:`._fastmd` builds the very blocks markdown-it's tokens would give, without running it
and without tokens; for the others markdown-it runs and its tokens are walked
(:func:`_token_blocks`).  Token maps are 0-based line ranges of the parsed slice; they
are shifted here to 1-based file lines.  The block dataclasses live in :mod:`._blocks`.

Repairs for hand-edited and prose-rewritten cards then happen on the blocks of either
path (:func:`_repaired`):

* paragraphs (or indented code) made of ``•`` lines become bullet lists;
* a paragraph holding a header line *without pipes* above a ``---|---`` delimiter row
  becomes a table, the header split on runs of spaces (MC306);
* a table whose rows run over several lines takes them back (:func:`_multiline_rows`).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import _fastmd
from ._blocks import (
    BULLET_CHARS,
    BULLET_START,
    Block,
    BulletList,
    ListItem,
    Paragraph,
    Table,
    TableRow,
    split_row,
)
from ._source import DEFAULT_LIMITS, Limits
from .diagnostics import Diagnostic

__all__ = ["Block", "BulletList", "ListItem", "Paragraph", "Table", "TableRow", "parse_blocks", "split_row"]

_MD = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table")
# Only block tokens and the raw ``content`` of inline tokens are read here, never their
# children: skipping the inline pass (a third of markdown-it's time) changes nothing.
_MD.disable(["inline", "text_join"])

_ITEM_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_MAX_CELL_LINES = 200
# No two adjacent "\s*" (each split of a long run of spaces was tried: quadratic).
_DELIM_ROW = re.compile(r"\s*(?:\|\s*)?:?-+:?\s*(?:\|\s*:?-+:?\s*)+(?:\|\s*)?\Z")


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


def _item_text(slice_lines: list[str], tok: Token) -> str:
    """An item's whole text as written, its marker removed (trailing blank lines dropped)."""
    s, e = tok.map or (0, 0)
    raw = slice_lines[s:e]
    if not raw:
        return ""
    raw[0] = _ITEM_MARKER.sub("", raw[0], count=1)
    return "\n".join(raw).rstrip()


def _list(
    tokens: list[Token], i: int, j: int, shift: int, slice_lines: list[str] | None = None
) -> BulletList:
    items: list[ListItem] = []
    k = i + 1
    while k < j:
        tok = tokens[k]
        if tok.type == "list_item_open":
            close = _close_index(tokens, k)
            line = (tok.map[0] if tok.map else 0) + shift
            text = ""
            more = False
            children: list[ListItem] = []
            m = k + 1
            while m < close:
                inner = tokens[m]
                if inner.type == "paragraph_open" and not text:
                    text = _inline_after(tokens, m)
                    m = _close_index(tokens, m)
                elif inner.type in ("paragraph_open", "code_block"):
                    more = True
                elif inner.type in ("bullet_list_open", "ordered_list_open"):
                    sub_close = _close_index(tokens, m)
                    children.extend(_list(tokens, m, sub_close, shift, slice_lines).items)
                    m = sub_close
                m += 1
            if more and text and not children and slice_lines is not None:
                # "- C Report: <classification report>": the value goes on over indented
                # lines and blank lines (a code block and paragraphs inside the item).
                # Keep all of it, as written, not just its first line.
                text = _item_text(slice_lines, tok)
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


def _joined_row(lines: list[str], idx: int, ncols: int, stop: int) -> tuple[list[str], int] | None:
    """A row starting on 0-based line ``idx`` whose last cell goes on over the next lines.

    The row lacks its closing ``|`` and runs, over lines that do not start a row, to the
    first line ending in ``|``; it must then have all its cells.  Returns the cells and the
    index after the row, or None when the row is complete as it stands (a table written
    without trailing pipes) or cannot be closed.
    """
    if lines[idx].rstrip().endswith("|"):
        return None
    j = idx + 1
    while j < stop and j - idx <= _MAX_CELL_LINES:
        line = lines[j]
        if line.rstrip().endswith("|"):
            cells = split_row("\n".join(lines[idx : j + 1]))
            return (cells, j + 1) if len(cells) == ncols else None
        if line.lstrip().startswith("|") or line.startswith("#"):
            return None
        j += 1
    return None


def _multiline_rows(table: Table, lines: list[str], stop: int) -> bool:
    """Take back rows whose cells hold newlines; True when the table grew.

    transformers writes a metric's ``str()`` into a cell as is, so a classification report
    (or skops a pipeline repr) breaks its row over many lines, blank lines included.
    markdown-it ends the table at the first such line and the later rows are lost.  Only
    tables whose header has the closing ``|`` are repaired.  ``stop`` is the 0-based index
    after the section.
    """
    ncols = len(table.header)
    if not table.rows or not lines[table.line - 1].rstrip().endswith("|"):
        return False
    idx = table.rows[-1].line - 1
    if _joined_row(lines, idx, ncols, stop) is None:
        return False
    rows = table.rows[:-1]
    while idx < stop and lines[idx].lstrip().startswith("|"):
        joined = _joined_row(lines, idx, ncols, stop)
        if joined is None:
            cells, nxt = split_row(lines[idx]), idx + 1
        else:
            cells, nxt = joined
        rows.append(TableRow((cells + [""] * ncols)[:ncols], idx + 1, len(cells)))
        idx = nxt
    table.rows = rows
    table.end = idx + 1
    return True


def _bullet_paragraph(text: str, line: int) -> BulletList | None:
    """A paragraph of '•' lines as a (possibly nested) list."""
    raw = text.split("\n")
    if not raw or not raw[0].lstrip().startswith(BULLET_START):
        return None
    top: list[ListItem] = []
    stack: list[tuple[int, ListItem]] = []
    for offset, ln in enumerate(raw):
        body = ln.lstrip()
        indent = len(ln) - len(body)
        if body[:1] in BULLET_CHARS and body[:1]:
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


_DELIM_CHARS = frozenset("|-: \t")
_CONTAINERS = frozenset({"blockquote_open", "list_item_open"})


def _cap_table_rows(slice_lines: list[str], max_rows: int, shift: int, notes: list[Diagnostic]) -> list[str]:
    """Blank the rows of a table past ``max_rows`` *before* tokenizing (MC320).

    A table runs from its delimiter row to the next blank line.  The tokenizers cost tens
    of microseconds a row, so a 100,000-row table would take seconds; blank lines cost
    nothing and keep every line number.  Returns ``slice_lines`` itself when no table is
    that long, else a copy.  ``shift`` is the file line of ``slice_lines[0]``.
    """
    out = slice_lines
    n = len(slice_lines)
    if n < max_rows + 3:  # no room for a header, a delimiter row and max_rows + 1 rows
        return out
    i = 1
    while i < n:
        line = slice_lines[i]
        if "|" in line and "-" in line and slice_lines[i - 1].strip() and set(line) <= _DELIM_CHARS:
            j = i + 1
            while j < n and slice_lines[j].strip():
                j += 1
            if j - i - 1 > max_rows:
                if out is slice_lines:
                    out = list(slice_lines)
                first = i + 1 + max_rows
                out[first:j] = [""] * (j - first)
                notes.append(
                    Diagnostic.make(
                        "MC320",
                        f"table has more than {max_rows:,} rows (Limits.max_table_rows); the rows "
                        f"from line {first + shift} to line {j - 1 + shift} were not read",
                        i - 1 + shift,
                    )
                )
            i = j
        i += 1
    return out


def _note_nesting(tokens: list[Token], shift: int, notes: list[Diagnostic]) -> None:
    """MC321 where lists or block quotes nest past markdown-it's ``maxNesting``.

    markdown-it stops reading a container's content at that depth *and skips the rest of
    the enclosing block*; without this note that text would be lost silently.
    """
    deepest = int(_MD.options["maxNesting"]) - 1
    for tok in tokens:
        if tok.nesting == 1 and tok.level >= deepest and tok.type in _CONTAINERS:
            notes.append(
                Diagnostic.make(
                    "MC321",
                    f"lists or block quotes nest deeper than {deepest + 1} levels; the markdown "
                    "parser skipped the rest of this block",
                    (tok.map[0] if tok.map else 0) + shift,
                )
            )
            return


def _cap_table_size(blocks: list[Block], limits: Limits, notes: list[Diagnostic]) -> None:
    """Cut tables to ``Limits.max_table_columns`` and ``max_table_rows`` (MC320)."""
    for block in blocks:
        if not isinstance(block, Table):
            continue
        if len(block.header) > limits.max_table_columns:
            cols = limits.max_table_columns
            notes.append(
                Diagnostic.make(
                    "MC320",
                    f"table has {len(block.header):,} columns, over the limit of {cols:,} "
                    "(Limits.max_table_columns); the columns after it were not read",
                    block.line,
                )
            )
            block.header = block.header[:cols]
            for row in block.rows:
                row.cells = row.cells[:cols]
                row.width = min(row.width, cols)
        if len(block.rows) > limits.max_table_rows:
            cut = block.rows[limits.max_table_rows]
            notes.append(
                Diagnostic.make(
                    "MC320",
                    f"table has more than {limits.max_table_rows:,} rows (Limits.max_table_rows); "
                    f"the rows from line {cut.line} on were not read",
                    block.line,
                )
            )
            block.rows = block.rows[: limits.max_table_rows]


def _token_blocks(
    tokens: list[Token], slice_lines: list[str], shift: int, *, lines: list[str], base: int
) -> list[Block]:
    """The blocks of markdown-it's top-level tokens, in order, before :func:`_repaired`.

    Each block's ``line`` is where its token starts.  Indented code yields nothing, unless
    it is made of ``•`` lines (a list, repaired here: code blocks are no blocks of their own).
    """
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.level != 0 or tok.nesting == -1:
            i += 1
            continue
        if tok.type == "paragraph_open":
            close = _close_index(tokens, i)
            s, e = tok.map or (0, 0)
            blocks.append(Paragraph(_inline_after(tokens, i), s + shift, e + shift))
            i = close
        elif tok.type == "code_block" and tok.map:
            s, e = tok.map
            repaired_list = _bullet_paragraph("\n".join(slice_lines[s:e]), s + shift)
            if repaired_list:
                blocks.append(repaired_list)
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            close = _close_index(tokens, i)
            blocks.append(_list(tokens, i, close, shift, slice_lines))
            i = close
        elif tok.type == "table_open":
            close = _close_index(tokens, i)
            blocks.append(_table(tokens, i, close, shift, lines=lines, base=base))
            i = close
        i += 1
    return blocks


def _repaired(
    raw: list[Block], slice_lines: list[str], shift: int, lines: list[str], stop: int
) -> list[Block]:
    """The repairs of both paths: '•' and pipeless-table paragraphs, multi-line table rows.

    ``raw`` holds the blocks as markdown-it made them, each ``line`` where its token
    starts; ``shift`` is the file line of ``slice_lines[0]``, ``stop`` the 0-based index
    after the section.  A table that takes back rows drops the blocks markdown-it made
    of those lines (all blocks starting before its new end).
    """
    blocks: list[Block] = []
    taken = 0  # file line before which blocks belong to a repaired table
    for block in raw:
        if block.line < taken:
            continue
        if type(block) is Paragraph:
            s = block.line - shift
            # Only a paragraph opening with '•', or holding a '|' (the delimiter row of
            # _pipeless_table has one), can be repaired: skip the join for the others.
            if "|" in block.text or slice_lines[s].lstrip().startswith(BULLET_START):
                text = "\n".join(slice_lines[s : block.end - shift])
                blocks.append(
                    _bullet_paragraph(text, block.line) or _pipeless_table(text, block.line) or block
                )
                continue
        elif type(block) is Table and _multiline_rows(block, lines, stop):
            taken = block.end
        blocks.append(block)
    return blocks


def parse_blocks(
    lines: list[str],
    start: int,
    end: int,
    *,
    limits: Limits = DEFAULT_LIMITS,
    notes: list[Diagnostic] | None = None,
    fast: bool = True,
) -> list[Block]:
    """Paragraphs, lists and tables among file lines ``start`` to ``end - 1`` (1-based).

    What ``limits`` cut (table size, markdown nesting) is reported in ``notes``.
    ``fast=False`` always runs markdown-it (the tests compare both paths).
    """
    if end <= start:
        return []
    notes = [] if notes is None else notes
    base = start - 1
    slice_lines = lines[base : end - 1]
    if len(slice_lines) >= limits.max_table_rows + 3:  # else no table can be over the limit
        slice_lines = _cap_table_rows(slice_lines, limits.max_table_rows, start, notes)
    # The blocks markdown-it would give, without it and its tokens, for plain sections.
    raw = _fastmd.blocks(slice_lines, start) if fast else None
    if raw is None:
        tokens = _MD.parse("\n".join(slice_lines))
        _note_nesting(tokens, start, notes)
        raw = _token_blocks(tokens, slice_lines, start, lines=lines, base=base)
    blocks = _repaired(raw, slice_lines, start, lines, end - 1)
    _cap_table_size(blocks, limits, notes)
    return blocks
