"""A fast path for markdown-it on the plain markdown that generated cards are made of.

markdown-it-py tries every block rule on every line and costs tens of microseconds per
line; across a corpus it was most of the parse time.  Most sections an extractor reads
hold only blank lines, paragraphs of plain text, one-line ``- key: value`` bullets and
pipe tables.  :func:`tokens` recognises exactly that subset and returns **the token
stream markdown-it would return** for it (same types, tags, levels, maps, contents,
markups, attrs and ``hidden`` flags; inline children empty, as the inline pass is off);
for anything outside the subset it returns None and markdown-it runs.  Callers
therefore see no difference at all; ``tests/test_fastmd.py`` checks token-for-token
equality against markdown-it on generated and real sections.

Lines outside the subset (any of these sends the section to markdown-it): indented
lines, lines starting a fence, block quote, heading, HTML block, thematic break, setext
underline, ordered list, or a reference definition; a bullet item that is empty, nested,
continued on a following line or starts with a block construct; a ``|`` line that is not
a table row; a table row not starting with ``|``; a delimiter row that does not open a
table.  Closing tokens and table cell openers are shared between rows (they are equal
and nobody mutates tokens).  Enabled only for markdown-it-py 4, whose rules this mirrors.
"""

from __future__ import annotations

import re

import markdown_it
from markdown_it.token import Token

try:  # markdown-it-py >= 4
    from markdown_it.common.utils import mdTrim
    from markdown_it.rules_block.html_block import HTML_SEQUENCES
except ImportError:  # pragma: no cover - markdown-it-py 3: always use markdown-it
    ENABLED = False
else:
    ENABLED = markdown_it.__version__.split(".")[0] == "4"

__all__ = ["ENABLED", "tokens"]

_BLANK, _PARA, _ITEM, _PIPE, _OTHER, _HTML, _HTML7 = range(7)
# _HTML: a line opening an HTML block that may interrupt a paragraph (kinds 1-6);
# _HTML7: one opening an HTML block only at a block start (kind 7, a lone tag).
_ORDERED = re.compile(r"\d+[.)](?:[ \t]|\Z)")
_HEADER_CELL = re.compile(r"^:?-+:?$")
_DELIM_CHARS = frozenset("|-: \t")
_NEVER = frozenset(" \t>#<|:")
_MARKS = frozenset("*-_+=")
_MAX_AUTOCOMPLETED_CELLS = 0x10000


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


def _is_delim_shape(line: str) -> bool:
    """The shape markdown-it's table rule accepts for a delimiter row (any indent)."""
    s = line.lstrip(" \t")
    if len(s) < 2 or s[0] not in "|-:":
        return False
    if s[1] not in "|-: \t" or (s[0] == "-" and s[1] in " \t"):
        return False
    return all(ch in _DELIM_CHARS for ch in s)


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


def _table_head(lines: list[str], s: int, n: int) -> tuple[list[str], list[str]] | None:
    """(header cells, aligns) when markdown-it's table rule opens a table at line ``s``."""
    if s + 2 > n:
        return None
    delim = lines[s + 1]
    if not _is_delim_shape(delim) or _indent(delim)[1] >= 4:
        return None
    aligns: list[str] = []
    columns = delim[_indent(delim)[0] :].split("|")
    last = len(columns) - 1
    for i, col in enumerate(columns):
        t = mdTrim(col)
        if not t:
            if i in (0, last):
                continue
            return None
        if not _HEADER_CELL.search(t):
            return None
        if t[-1] == ":":
            aligns.append("center" if t[0] == ":" else "right")
        elif t[0] == ":":
            aligns.append("left")
        else:
            aligns.append("")
    head = lines[s]
    shift, width = _indent(head)
    text = mdTrim(head[shift:])
    if "|" not in text or width >= 4:
        return None
    cells = _escaped_split(text)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    if not cells or len(cells) != len(aligns):
        return None
    return cells, aligns


def _tok(
    ttype: str,
    tag: str,
    nesting: int,
    level: int,
    tmap: list[int] | None = None,
    *,
    content: str = "",
    markup: str = "",
    attrs: dict[str, str | int | float] | None = None,
    hidden: bool = False,
) -> Token:
    """A token as ``StateBlock.push`` makes it (``block`` set, inline children empty)."""
    return Token(
        ttype,
        tag,
        nesting,  # type: ignore[arg-type]
        {} if attrs is None else attrs,
        tmap,
        level,
        [] if ttype == "inline" else None,
        content,
        markup,
        "",
        {},
        True,
        hidden,
    )


# Tokens without per-instance data are built once and shared (nobody mutates tokens).
_ALIGNS = ("", "left", "right", "center")
_CELL_OPEN = {
    (kind, a): _tok(f"{kind}_open", kind, 1, 3, attrs={"style": "text-align:" + a} if a else None)
    for kind in ("th", "td")
    for a in _ALIGNS
}
_TH_CLOSE = _tok("th_close", "th", -1, 3)
_TD_CLOSE = _tok("td_close", "td", -1, 3)
_TR_CLOSE = _tok("tr_close", "tr", -1, 2)
_THEAD_CLOSE = _tok("thead_close", "thead", -1, 1)
_TBODY_CLOSE = _tok("tbody_close", "tbody", -1, 1)
_TABLE_CLOSE = _tok("table_close", "table", -1, 0)
_P_CLOSE = _tok("paragraph_close", "p", -1, 0)
_ITEM_P_CLOSE = {hidden: _tok("paragraph_close", "p", -1, 2, hidden=hidden) for hidden in (False, True)}
_ITEM_CLOSE = {m: _tok("list_item_close", "li", -1, 1, markup=m) for m in "-*+"}
_LIST_CLOSE = {m: _tok("bullet_list_close", "ul", -1, 0, markup=m) for m in "-*+"}


def _inline(content: str, level: int, start: int, end: int) -> Token:
    """An inline token: its raw content and lines (children empty, the inline pass is off)."""
    return Token("inline", "", 0, {}, [start, end], level, [], content, "", "", {}, True, False)


def _open(
    ttype: str, tag: str, level: int, start: int, end: int, *, markup: str = "", hidden: bool = False
) -> Token:
    """An opening token with its line map."""
    return Token(ttype, tag, 1, {}, [start, end], level, None, "", markup, "", {}, True, hidden)


def _emit_table(
    lines: list[str], s: int, n: int, head: tuple[list[str], list[str]], out: list[Token]
) -> int | None:
    """Append the tokens of the table opening at ``s``; return the line after it."""
    header, aligns = head
    ncols = len(header)
    k = s + 2
    rows: list[tuple[int, list[str]]] = []
    autocompleted = 0
    while k < n:
        line = lines[k]
        if not line.strip(" \t"):
            break
        if line[0] != "|":
            return None  # markdown-it would take it as a row (or end the table): not ours
        cells = _escaped_split(mdTrim(line))
        if cells and cells[0] == "":
            cells.pop(0)
        if cells and cells[-1] == "":
            cells.pop()
        autocompleted += ncols - len(cells)
        if autocompleted > _MAX_AUTOCOMPLETED_CELLS:
            break
        rows.append((k, cells))
        k += 1
    end = k
    td_opens = [_CELL_OPEN["td", a] for a in aligns]
    append = out.append
    append(_open("table_open", "table", 0, s, end))
    append(_open("thead_open", "thead", 1, s, s + 1))
    append(_open("tr_open", "tr", 2, s, s + 1))
    for i, cell in enumerate(header):
        append(_CELL_OPEN["th", aligns[i]])
        append(_inline(mdTrim(cell), 4, s, s + 1))
        append(_TH_CLOSE)
    append(_TR_CLOSE)
    append(_THEAD_CLOSE)
    if rows:
        append(_open("tbody_open", "tbody", 1, s + 2, end))
        for line_no, cells in rows:
            append(_open("tr_open", "tr", 2, line_no, line_no + 1))
            width = len(cells)
            for i in range(ncols):
                append(td_opens[i])
                cell = cells[i] if i < width else ""
                append(_inline(mdTrim(cell) if cell else "", 4, line_no, line_no + 1))
                append(_TD_CLOSE)
            append(_TR_CLOSE)
        append(_TBODY_CLOSE)
    append(_TABLE_CLOSE)
    return end


def tokens(lines: list[str]) -> list[Token] | None:
    """markdown-it's block tokens for ``"\\n".join(lines)``, or None outside the subset."""
    if not ENABLED:
        return None
    text = "\n".join(lines)
    if "\r" in text or "\x00" in text:
        return None
    refs_ok = "]:" not in text
    kinds: list[int] = []
    for line in lines:
        if not line.strip(" \t"):
            kinds.append(_BLANK)
            continue
        c = line[0]
        if c == "|":
            kinds.append(_PIPE)
        elif c == "<":
            seq = _html_sequence(line)
            kinds.append(_PARA if seq is None else _HTML if seq[2] else _HTML7)
        elif _is_delim_shape(line):
            kinds.append(_OTHER)
        elif c in "-*+" and len(line) > 2 and line[1] == " " and _inert(line[2:], refs_ok):
            kinds.append(_ITEM)
        elif _inert(line, refs_ok):
            kinds.append(_PARA)
        else:
            kinds.append(_OTHER)
    n = len(lines)
    if n and kinds[-1] == _BLANK:
        n -= 1  # markdown-it gives a last line of only spaces no line of its own
    out: list[Token] = []
    line_no = 0
    while line_no < n:
        if kinds[line_no] == _BLANK:
            line_no += 1
            continue
        kind = kinds[line_no]
        head = _table_head(lines, line_no, n) if "|" in lines[line_no] else None
        if head is not None:
            end = _emit_table(lines, line_no, n, head, out)
            if end is None:
                return None
            line_no = end
        elif kind == _PARA:
            e = line_no + 1
            while e < n:
                k = kinds[e]
                if k == _BLANK or ("|" in lines[e] and _table_head(lines, e, n) is not None):
                    break  # a table interrupts a paragraph
                if k in (_ITEM, _HTML):
                    break  # so does a bullet with content, or most HTML blocks
                if k not in (_PARA, _HTML7):
                    return None
                e += 1
            out.append(_open("paragraph_open", "p", 0, line_no, e))
            out.append(_inline(mdTrim("\n".join(lines[line_no:e])), 1, line_no, e))
            out.append(_P_CLOSE)
            line_no = e
        elif kind == _ITEM:
            end_or_none = _emit_list(lines, kinds, line_no, n, out)
            if end_or_none is None:
                return None
            line_no = end_or_none
        elif kind in (_HTML, _HTML7):
            line_no = _emit_html(lines, line_no, n, out)
        else:
            return None
    return out


def _html_sequence(line: str) -> tuple[re.Pattern[str], re.Pattern[str], bool] | None:
    """The HTML block kind (open, close, can interrupt a paragraph) a line opens, if any."""
    for seq in HTML_SEQUENCES:
        if seq[0].search(line):
            return seq
    return None


def _emit_html(lines: list[str], s: int, n: int, out: list[Token]) -> int:
    """Append the HTML block opening at ``s`` (an unindented line); return the line after it."""
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
    content = "\n".join(lines[s:nxt]) + ("\n" if nxt < len(lines) else "")
    out.append(_tok("html_block", "", 0, 0, [s, nxt], content=content))
    return nxt


def _emit_list(lines: list[str], kinds: list[int], s: int, n: int, out: list[Token]) -> int | None:
    """Append a bullet list of one-line items opening at ``s``; return the line after it."""
    marker = lines[s][0]
    starts: list[int] = []
    tight = True
    k = s
    while True:
        starts.append(k)
        j = k + 1
        if j < n and kinds[j] == _ITEM:
            if lines[j][0] == marker:
                k = j
                continue
            end = j
            break
        if j < n and kinds[j] == _HTML:
            end = j  # ends the item's paragraph, and the list
            break
        if j < n and kinds[j] != _BLANK:
            return None  # a lazy continuation line, or something markdown-it nests
        while j < n and kinds[j] == _BLANK:
            j += 1
        if j >= n:
            end = n
            break
        if kinds[j] == _ITEM and lines[j][0] == marker:
            tight = False
            k = j
            continue
        if lines[j][0] in " \t":
            return None  # indented: still inside the item
        end = j
        break
    out.append(_open("bullet_list_open", "ul", 0, s, end, markup=marker))
    p_close = _ITEM_P_CLOSE[tight]
    item_close = _ITEM_CLOSE[marker]
    for idx, item in enumerate(starts):
        item_end = starts[idx + 1] if idx + 1 < len(starts) else end
        out.append(_open("list_item_open", "li", 1, item, item_end, markup=marker))
        out.append(_open("paragraph_open", "p", 2, item, item + 1, hidden=tight))
        out.append(_inline(mdTrim(lines[item][2:]), 3, item, item + 1))
        out.append(p_close)
        out.append(item_close)
    out.append(_LIST_CLOSE[marker])
    return end
