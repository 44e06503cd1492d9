"""A fast path for markdown-it on the plain markdown that generated cards are made of.

markdown-it-py tries every block rule on every line and costs tens of microseconds per
line, and walking its tokens (three per table cell) costs about as much again; across a
corpus that was most of the parse time.  Most sections an extractor reads hold only blank
lines, paragraphs of plain text, one-line ``- key: value`` bullets, pipe tables, HTML
blocks, fenced code and indented code (skops writes a pipeline's repr into a table cell
over indented lines).  :func:`blocks` recognises exactly that subset and builds, without
markdown-it and without a single token, **the blocks ``_markdown._token_blocks`` makes of
markdown-it's tokens** for it: the same paragraphs, lists and tables, with the same texts,
cells, widths and lines, before the repairs both paths then share.  For anything outside
the subset it returns None and markdown-it runs.  Callers therefore see no difference.

Why that is safe: in this subset markdown-it's block rules reduce to line kinds, which
this module mirrors (for markdown-it-py 4): which line opens a table, a list, an HTML
block, a fence or a paragraph, and which line ends it.  The texts are those the token
walk reads: a paragraph's inline content is ``mdTrim`` of its joined lines, a one-line
item's that of the line after its marker, a cell's that of a part of markdown-it's
``escapedSplit`` (rows padded or cut to the header's width), and a row's ``width`` the
length of ``split_row`` of its line, as in the walk; HTML blocks, fences and indented
code make no block (nor in the walk, unless code is made of "•" lines: those are left to
markdown-it).  ``tests/test_fastmd.py`` checks that ``parse_blocks`` gives equal blocks
(and notes) with and without this path on generated sections and on every section of
the real corpus, and that these blocks equal the token walk's before the repairs too.

Lines outside the subset (any of these sends the section to markdown-it): lines starting
a block quote, heading, thematic break, setext underline, ordered list, or a reference
definition, and a backtick fence with a backtick in its info string; lines indented one
to three columns that start a bullet or an HTML block (or a fence, under a bullet); a
bullet item that is empty, nested, continued on a following line or starts with a block
construct; a table row not starting with ``|``; a table body ended by anything but a
blank line or a code-indented line; a delimiter row that does not open a table.  Lines
inside an HTML block, a fence or indented code may be anything, and a ``|`` line that
opens no table is paragraph text.
"""

from __future__ import annotations

import re

import markdown_it

from ._blocks import BULLET_START, Block, BulletList, ListItem, Paragraph, Table, TableRow, split_row

try:  # markdown-it-py >= 4
    from markdown_it.common.utils import MD_TRIM_CHARS  # mdTrim(s) is s.strip(MD_TRIM_CHARS)
    from markdown_it.rules_block.html_block import HTML_SEQUENCES
except ImportError:  # pragma: no cover - markdown-it-py 3: always use markdown-it
    ENABLED = False
else:
    ENABLED = markdown_it.__version__.split(".")[0] == "4"

__all__ = ["ENABLED", "blocks"]

_BLANK, _PARA, _ITEM, _PIPE, _OTHER, _HTML, _HTML7, _FENCE, _CODE, _FENCE_IN = range(10)
# _PIPE: a line whose text starts with "|" after an indent of at most three columns;
# _HTML: a line opening an HTML block that may interrupt a paragraph (kinds 1-6);
# _HTML7: one opening an HTML block only at a block start (kind 7, a lone tag);
# _FENCE: an unindented line opening a code fence; _FENCE_IN: one indented 1-3 columns
# (it may belong to a list item above: lists leave it to markdown-it);
# _CODE: a line that is not blank, indented four columns or more (tabs expanded).
_ORDERED = re.compile(r"\d+[.)](?:[ \t]|\Z)")
_DELIM_CHARS = "|-: \t"
_NEVER = frozenset(" \t>#<|:")
_MARKS = frozenset("*-_+=")
_MAX_AUTOCOMPLETED_CELLS = 0x10000
# First characters on which _inert does more than answer True.
_STIRRING = _NEVER | _MARKS | frozenset("[`~0123456789")
_SLOW = -1
# The kind of a line by its first character alone, where that is enough: an empty line
# is blank, a "|" line a _PIPE, and a line starting with none of _STIRRING (default)
# paragraph text; the other first characters (_SLOW) need a closer look.
_FIRST = {"": _BLANK, "|": _PIPE} | dict.fromkeys(_STIRRING - {"|"}, _SLOW)


def _plain(s: str) -> bool:
    """Whether ``s`` holds none of the characters where str.strip() and mdTrim disagree
    (the C0 separators and NEL are whitespace only to Python) and where split_row and
    escapedSplit do (backslashes, code spans): a table row without any of them is split
    once, by str.split, for its cells and its width alike.

    A substring test a character, each a C scan: a regex character class took ~10 ns a
    character, half a millisecond on a long section.
    """
    return not (
        "\\" in s or "`" in s or "\x1c" in s or "\x1d" in s or "\x1e" in s or "\x1f" in s or "\x85" in s
    )


def _inert(s: str, refs_ok: bool) -> bool:
    """True when a line (or a bullet's content) can only be paragraph text."""
    c = s[0]
    if c in _NEVER:
        return False
    if c == "[":
        return refs_ok
    if c in "`~":
        return not s.startswith(c * 3)  # a code fence needs three
    if c in _MARKS:
        # not a list marker (needs a space after), not a thematic break or setext
        # underline (only the marker and spaces)
        return len(s) > 1 and s[1] not in " \t" and bool(s.strip(c + " \t"))
    if "0" <= c <= "9":
        return _ORDERED.match(s) is None
    return True


def _indented_kind(line: str, refs_ok: bool) -> int:
    """The kind of a line starting with a space or a tab, or of an empty line.

    Every block rule of markdown-it allows an indent of up to three columns, so such a
    line is what its text after the indent would be, but for a bullet (it may nest) and
    an HTML block (rare): those are left to markdown-it (_OTHER), and a fence is
    _FENCE_IN.  From four columns on the line is code (``is_code_block``): an indented
    code block at a block start, a continuation line in a paragraph, and the end of a
    table.
    """
    text = line.lstrip(" \t")
    if not text:
        return _BLANK
    indent = len(line) - len(text)
    if indent >= 4 or ("\t" in line[:indent] and _indent(line)[1] >= 4):
        return _CODE
    c = text[0]
    if c == "|":
        return _PIPE
    if c in "`~" and text.startswith(c * 3):
        return _OTHER if c == "`" and "`" in text.lstrip("`") else _FENCE_IN
    if c in "-:" and _is_delim_shape(text):
        return _OTHER
    if c not in _STIRRING or _inert(text, refs_ok):
        return _PARA
    return _OTHER


def _is_delim_shape(line: str) -> bool:
    """The shape markdown-it's table rule accepts for a delimiter row (any indent)."""
    s = line.lstrip(" \t")
    if len(s) < 2 or s[0] not in "|-:":
        return False
    if s[1] not in "|-: \t" or (s[0] == "-" and s[1] in " \t"):
        return False
    return not s.lstrip(_DELIM_CHARS)  # only those characters (stops at the first other one)


def _indent(line: str) -> tuple[int, int]:
    """(tShift, sCount): leading spaces/tabs, and their width with tabs expanded."""
    shift = offset = 0
    for ch in line:
        if ch == " ":
            offset += 1
        elif ch == "\t":
            offset += 4 - offset % 4
        else:
            break
        shift += 1
    return shift, offset


def _escaped_split(s: str) -> list[str]:
    """markdown-it's ``escapedSplit``: split on pipes not preceded by a backslash."""
    if "\\" not in s:
        return s.split("|")
    result: list[str] = []
    current = ""
    last = 0
    escaped = False
    for pos, ch in enumerate(s):
        if ch == "|":
            if not escaped:
                result.append(current + s[last:pos])
                current = ""
                last = pos + 1
            else:
                current += s[last : pos - 1]
                last = pos
        escaped = ch == "\\"
    result.append(current + s[last:])
    return result


def _table_head(lines: list[str], s: int, n: int) -> list[str] | None:
    """The header's cell texts when markdown-it's table rule opens a table at line ``s``."""
    if s + 2 > n:
        return None
    delim = lines[s + 1]
    if not _is_delim_shape(delim):
        return None
    if delim[0] in " \t":
        indent, width = _indent(delim)
        if width >= 4:
            return None
        delim = delim[indent:]
    # The row holds only "|-: \t" (its shape), so mdTrim of a part is strip(" \t"), and
    # markdown-it's test of it, "^:?-+:?$", holds when dashes remain between the optional
    # colons.
    ncols = 0
    columns = delim.split("|")
    last = len(columns) - 1
    for i, col in enumerate(columns):
        t = col.strip(" \t")
        if not t:
            if i in (0, last):
                continue
            return None
        dashes = t[t[0] == ":" : len(t) - (t[-1] == ":")]
        if not dashes or dashes.strip("-"):
            return None
        ncols += 1
    head = lines[s]
    shift, width = _indent(head) if head[:1] in (" ", "\t") else (0, 0)
    text = head[shift:].strip(MD_TRIM_CHARS)
    if "|" not in text or width >= 4:
        return None
    cells = _escaped_split(text)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    if not cells or len(cells) != ncols:
        return None
    return [cell.strip(MD_TRIM_CHARS) for cell in cells]


def _table(
    lines: list[str], kinds: list[int], s: int, n: int, *, header: list[str], shift: int, plain: bool
) -> Table | None:
    """The table opening at ``s`` (its header read); None when markdown-it must decide.

    ``plain``: :func:`_plain` holds for the whole section.  A table of regular rows is
    read at once (:func:`_regular_rows`), others row by row.
    """
    ncols = len(header)
    end = s + 2
    while end < n and kinds[end] == _PIPE:
        end += 1
    if end == n or kinds[end] == _BLANK or kinds[end] == _CODE:  # where the loop below stops
        regular = _regular_rows(lines, s + 2, end, ncols=ncols, shift=shift, plain=plain)
        if regular is not None:
            return Table(header, regular, s + shift, end + shift)
    pad = [""] * ncols
    rows: list[TableRow] = []
    autocompleted = 0
    k = s + 2
    while k < n:
        kind = kinds[k]
        if kind in (_BLANK, _CODE):
            break  # a code-indented line ends a table (it is no row: is_code_block)
        if kind != _PIPE:
            return None  # markdown-it would take it as a row (or end the table): not ours
        line = lines[k]
        if plain or _plain(line):
            # strip() is mdTrim here; the line starts with "|", so parts[0] is "" and the
            # last part is "" when it ends with "|": markdown-it drops both, as split_row
            # drops the outer pipes.  Only "|" alone differs: no cell, but a width of 1.
            parts = line.strip().split("|")
            cells = [cell.strip() for cell in (parts[1:-1] if parts[-1] == "" else parts[1:])]
            width = len(cells) or 1
        else:
            cells = _escaped_split(line.strip(MD_TRIM_CHARS))
            if cells and cells[0] == "":
                cells.pop(0)
            if cells and cells[-1] == "":
                cells.pop()
            cells = [cell.strip(MD_TRIM_CHARS) for cell in cells]
            width = len(split_row(line))
        count = len(cells)
        autocompleted += ncols - count
        if autocompleted > _MAX_AUTOCOMPLETED_CELLS:
            break
        if count != ncols:
            cells = cells[:ncols] if count > ncols else cells + pad[count:]
        rows.append(TableRow(cells, k + shift, width))
        k += 1
    return Table(header, rows, s + shift, k + shift)


def _regular_rows(
    lines: list[str], s: int, e: int, *, ncols: int, shift: int, plain: bool
) -> list[TableRow] | None:
    """The rows of lines ``s``..``e - 1`` (all _PIPE) when each is ``| c1 | ... | cN |``
    with N = ``ncols``, give or take spaces; else None.

    The common table, split once for all its rows.  The loop in :func:`_table` gives such
    a row its cells stripped (mdTrim is strip() as ``plain``), a width of N, no padding
    and no autocompleted cell; so does this.  Split on "|", the rows joined by "\\n" give
    N + 1 parts a row and one more: the spaces before the first pipe, the N cells, the
    spaces and the "\\n" between the last pipe of a row and the first of the next, and the
    spaces after the last pipe.  Conversely, when the parts come out so: every row holds a
    pipe, so no part holds a whole line, and the ``e - s - 1`` newlines all being in those
    between-rows parts means each row starts with a pipe, ends with one (give or take
    spaces) and has N + 1 of them.
    """
    text = "\n".join(lines[s:e])
    if not (plain or _plain(text)):
        return None
    parts = text.split("|")
    width = ncols + 1
    count = e - s
    if len(parts) != count * width + 1 or parts[0].strip() or parts[-1].strip():
        return None
    between = "".join(parts[width:-1:width])
    if between.count("\n") != count - 1 or between.strip():
        return None
    cells = [part.strip() for part in parts]
    return [
        TableRow(cells[i + 1 : i + width], line, ncols)
        for i, line in zip(range(0, count * width, width), range(s + shift, e + shift), strict=True)
    ]


def blocks(lines: list[str], shift: int) -> list[Block] | None:
    """The blocks of markdown-it's tokens for ``"\\n".join(lines)``, or None outside the subset.

    As ``_markdown._token_blocks`` makes them (before the repairs); ``shift`` is the file
    line of ``lines[0]``.
    """
    if not ENABLED:
        return None
    text = "\n".join(lines)
    if "\r" in text or "\x00" in text:
        return None
    refs_ok = "]:" not in text
    kinds: list[int] = []
    kind_of = kinds.append
    for line in lines:
        c = line[:1]
        kind = _FIRST.get(c, _PARA)
        if kind != _SLOW:
            kind_of(kind)
        elif c in "-*+" and line[1:2] == " ":  # a bullet ("- " never starts a delimiter row)
            d = line[2:3]
            if d == "`":  # "- `key`: value" (sentence-transformers): _inert's answer, inline
                inert = line[3:5] != "``"
            else:
                inert = d != "" and (d not in _STIRRING or _inert(line[2:], refs_ok))
            kind_of(_ITEM if inert else _OTHER)
        elif c in " \t":
            kind_of(_indented_kind(line, refs_ok))
        elif c == "<":
            seq = _html_sequence(line)
            kind_of(_PARA if seq is None else _HTML if seq[2] else _HTML7)
        elif c in "`~" and line.startswith(c * 3):
            # a fence, unless a backtick one has a backtick in its info string
            kind_of(_OTHER if c == "`" and "`" in line.lstrip("`") else _FENCE)
        elif c in "-:" and _is_delim_shape(line):
            kind_of(_OTHER)
        elif _inert(line, refs_ok):
            kind_of(_PARA)
        else:
            kind_of(_OTHER)
    n = len(lines)
    if n and kinds[-1] == _BLANK:
        n -= 1  # markdown-it gives a last line of only spaces no line of its own
    plain: bool | None = None  # _plain(text), once a table needs it
    out: list[Block] = []
    line_no = 0
    while line_no < n:
        kind = kinds[line_no]
        if kind == _BLANK:
            line_no += 1
            continue
        header = _table_head(lines, line_no, n) if "|" in lines[line_no] else None
        if header is not None:
            if plain is None:
                plain = _plain(text)
            table = _table(lines, kinds, line_no, n, header=header, shift=shift, plain=plain)
            if table is None:
                return None
            out.append(table)
            line_no = table.end - shift
        elif kind in (_PARA, _PIPE):  # a "|" line opening no table is text
            e = line_no + 1
            while e < n:
                k = kinds[e]
                if k == _BLANK or ("|" in lines[e] and _table_head(lines, e, n) is not None):
                    break  # a table interrupts a paragraph
                if k in (_ITEM, _HTML, _FENCE, _FENCE_IN):
                    break  # so does a bullet with content, a fence, or most HTML blocks
                if k not in (_PARA, _PIPE, _HTML7, _CODE):
                    return None  # a code-indented line is a continuation line here
                e += 1
            out.append(
                Paragraph("\n".join(lines[line_no:e]).strip(MD_TRIM_CHARS), line_no + shift, e + shift)
            )
            line_no = e
        elif kind == _ITEM:
            bullets = _list(lines, kinds, line_no, n, shift)
            if bullets is None:
                return None
            out.append(bullets)
            line_no = bullets.end - shift
        elif kind in (_HTML, _HTML7):
            line_no = _html_end(lines, line_no, n)  # markdown-it's html_block: no block here
        elif kind in (_FENCE, _FENCE_IN):
            line_no = _fence_end(lines, line_no, n)  # markdown-it's fence: no block either
        elif kind == _CODE:
            if lines[line_no].lstrip().startswith(BULLET_START):
                return None  # the token walk makes a list of a code block of "•" lines
            line_no = _code_end(kinds, line_no, n)  # an indented code block: no block
        else:
            return None
    return out


def _html_sequence(line: str) -> tuple[re.Pattern[str], re.Pattern[str], bool] | None:
    """The HTML block kind (open, close, can interrupt a paragraph) a line opens, if any."""
    for seq in HTML_SEQUENCES:
        if seq[0].search(line):
            return seq
    return None


def _html_end(lines: list[str], s: int, n: int) -> int:
    """The line after the HTML block opening at ``s`` (an unindented line)."""
    seq = _html_sequence(lines[s])
    assert seq is not None
    close = seq[1]
    nxt = s + 1
    if not close.search(lines[s]):
        while nxt < n:
            text = lines[nxt].lstrip(" \t")
            if close.search(text):
                if text:
                    nxt += 1
                break
            nxt += 1
    return nxt


def _fence_end(lines: list[str], s: int, n: int) -> int:
    """The line after the code fence opening at ``s`` (indented at most three columns).

    As markdown-it's fence rule: the fence closes on a line indented less than four
    columns holding a run of its marker at least as long as the opening one and then
    only spaces or tabs; unclosed, it runs to the end.
    """
    opening = lines[s].lstrip(" \t")
    marker = opening[0]
    length = len(opening) - len(opening.lstrip(marker))
    for nxt in range(s + 1, n):
        line = lines[nxt]
        body = line.lstrip(" \t")
        if (
            body[:1] == marker
            and not body.lstrip(marker).strip(" \t")
            and len(body) - len(body.lstrip(marker)) >= length
            and _indent(line)[1] < 4
        ):
            return nxt + 1
    return n


def _code_end(kinds: list[int], s: int, n: int) -> int:
    """The line after the indented code block opening at ``s``.

    As markdown-it's code rule: it goes on over code-indented and blank lines, and ends
    after its last code-indented line (trailing blank lines are not its own).
    """
    last = e = s + 1
    while e < n:
        kind = kinds[e]
        if kind == _CODE:
            e += 1
            last = e
        elif kind == _BLANK:
            e += 1
        else:
            break
    return last


def _list(lines: list[str], kinds: list[int], s: int, n: int, shift: int) -> BulletList | None:
    """The bullet list of one-line items opening at ``s``; None when markdown-it must decide."""
    marker = lines[s][0]
    items: list[ListItem] = []
    add = items.append
    j = s
    while True:
        while j < n and kinds[j] == _ITEM and lines[j][0] == marker:  # a run of tight items
            add(ListItem(lines[j][2:].strip(MD_TRIM_CHARS), j + shift, []))
            j += 1
        if j < n and kinds[j] in (_ITEM, _HTML, _FENCE):
            break  # another marker starts another list; HTML or a fence ends the item's paragraph
        if j < n and kinds[j] != _BLANK:
            return None  # a lazy continuation line, or something markdown-it nests
        while j < n and kinds[j] == _BLANK:
            j += 1
        if j >= n:
            break
        if kinds[j] == _ITEM and lines[j][0] == marker:
            continue  # a loose list: the same items
        if lines[j][0] in " \t":
            return None  # indented: still inside the item
        break
    return BulletList(items, s + shift, j + shift)
