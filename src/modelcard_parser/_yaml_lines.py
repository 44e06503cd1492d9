"""Step 3, fastest path: a line-based loader for the YAML subset front matter nearly always is.

``_yaml.load`` tries :func:`load_lines` first.  It reads, line by line, only this subset:

* block mappings and block sequences nested by indentation (spaces only), including
  compact entries (``- key: value``, ``- - a``) and a sequence at its key's indentation
  (``key:`` then ``- a``, which YAML allows);
* keys: single-line plain scalars that start with no indicator character, are not
  ``<<`` (a merge key) and are short enough to be simple keys;
* values: plain scalars, single-quoted scalars, double-quoted scalars without a
  backslash, each on one line or folded over several (as ``yaml.dump`` writes long
  strings), the empty flow collections ``[]`` and ``{}``, or nothing (null, or the
  nested block on the following lines);
* blank lines, full-line comments and `` #`` comments after a value.

Anything else - anchors, aliases, tags, block scalars (``|`` ``>``), other flow
collections, quoted keys, complex keys, document markers, directives, tabs, a line
break YAML knows but ``str.split("\\n")`` does not, a character libyaml refuses, a value
with ``": "`` or ``" #"`` on a continuation line, a number too long to read (MC126), a
document near ``max_yaml_nodes`` or ``max_yaml_depth`` - returns None, and the libyaml
or bounded path reads the document instead.

Why the result is the same as the other paths give (``tests/test_yaml_fast.py``
compares them over the corpus and over generated documents):

* plain scalars are typed by the loader's own implicit resolver and built by
  :func:`_yaml._scalar`, as ``_Builder`` does; quoted ones are strings as written (what
  a scalar's text types to, and what a line's text reads as, are memoised across
  documents: both are pure functions of the text);
* lines are folded as PyYAML's and libyaml's scanners fold them: a plain scalar goes on
  while lines are indented past its block collection's column, a single line break
  reads as a space and each blank line as ``"\\n"``, spaces around a break are dropped;
* a node's line is where the composer's start mark puts it: a scalar's first line, a
  block collection's first entry, and for an empty value the line of its ``:`` or
  ``-`` (the parser makes the empty scalar at the end of that indicator);
* positions, duplicate keys (MC122, last value kept, the key path re-positioned) and
  the order of keys, positions and diagnostics follow ``_Builder`` step for step;
* the depth and node count stay well under the limits, so no MC124 could differ.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ._source import Limits
from ._yaml import (
    _KEEP_AS_STR,
    _NUMBERS,
    _SCALAR_TAGS,
    _STR,
    Path,
    YamlResult,
    _duplicate_key,
    _Loader,
    _scalar,
)

# Characters that may stand anywhere in the subset: a line feed, and what libyaml accepts
# as printable minus a tab, "\r", NEL, U+2028/U+2029 (line breaks to YAML) and the BOM.
_OUTSIDE_CHARS = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_ASCII_INSIDE = bytes(range(0x20, 0x7F)) + b"\n"  # (the same, of the ASCII characters)


def _inside(text: str) -> bool:
    """Whether ``text`` holds only characters that may stand anywhere in the subset.

    The same as ``not _OUTSIDE_CHARS.search(text)``, in fewer steps: an ASCII text as
    bytes, deleting the characters allowed (``bytes.translate`` is a table lookup per
    byte); any other first by ``str.isprintable`` - every character Python calls
    printable is allowed (the ones left out are control, format, surrogate,
    unassigned or line/paragraph separator characters: Python calls none of those
    printable; ``tests/test_yaml_fast.py`` checks every code point) - and only if that
    says no (a no-break space, say) by the search.
    """
    if text.isascii():
        return not text.encode("ascii").translate(None, _ASCII_INSIDE)
    return text.replace("\n", " ").isprintable() or not _OUTSIDE_CHARS.search(text)


# A plain scalar may not start with one of these (some may when a non-space follows,
# "-1" for one; the subset allows that for "-" in a value only).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Most lines: "key: value", "key:", "- key: value", "- key:" or "- value", where neither
# the key nor the value holds a ":" or a "#" or starts with an indicator, a space or a
# "." (a line "..." ends the document).  Groups: indentation, "- ", the key (or the value
# after "- " when no ":" follows), ":", the key's value; a key or value may end in spaces.
_PLAIN = r"[^ .\-?:,\[\]{}#&*!|>'\"%@`][^:#]*+"
# (Possessive: giving back a character of a key or value, or a space, never leads to a
# match, as a key or value stops only at a ":", a "#" or the end; it only costs time.)
_SIMPLE_LINE = re.compile(rf"( *+)(- +)?+({_PLAIN})(?:(:)(?: +({_PLAIN}))?+ *+)?+\Z")
_MAX_KEY = 1000  # YAML simple keys end within 1024 characters
_MAX_DEPTH = 50  # recursion here; deeper documents are left to the other paths
_NEVER = 1 << 62  # an indentation no line has


class _Marker:
    """A token's value that is not a scalar's."""


_PENDING = _Marker()  # nothing after the indicator on its line
_EMPTY_SEQ, _EMPTY_MAP = _Marker(), _Marker()  # "[]", "{}"
_OUT = _Marker()  # outside the subset

_DASH, _KEY, _SCALAR = 0, 1, 2
# A token: (kind, 0-based line, column, key text or None, value written from that line).
# _DASH is a "-" indicator, _KEY a key and its ":", _SCALAR a value alone on its line.
_Token = tuple[int, int, int, "str | None", Any]


class _NotInSubsetError(Exception):
    """The document leaves the subset: let the other paths read it."""


_RESOLVER: Any = _Loader("")  # only its resolve() is used (a pure function of its arguments)
# Memos of pure functions of a text (a scalar's, a line's), kept across documents (real
# cards repeat many values and lines: "- en", "license: mit", "  - task:"), cleared when
# full; longer texts are not kept (a memo must not hold on to a hostile card's text).
_MEMO_SIZE = 4096
_MEMO_TEXT = 256
_TYPED: dict[str, Any] = {}
# "12.5", "-0.031": the resolver says float (its float pattern comes before int and
# timestamp) and SafeConstructor returns sign * float(digits), which is float(text).
# A model-index holds thousands of these, each different: this skips the resolver.
_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+\Z")


def _plain(text: str) -> Any:
    """A plain scalar's value as ``_Builder`` makes it (memoised); raises ``_NotInSubsetError``
    where the builder would report something (MC123, MC126)."""
    value = _TYPED.get(text, _OUT)
    if value is not _OUT:
        return value
    if len(text) < 40 and _DECIMAL.match(text):
        return float(text)
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR or tag in _KEEP_AS_STR:  # timestamps, "=": kept as written
        value = text
    elif tag in _SCALAR_TAGS:
        try:
            value = _scalar(yaml.ScalarNode(tag, text))
        except Exception:  # pragma: no cover - _scalar catches what a resolved text raises
            raise _NotInSubsetError from None  # the builder decides what happens
        if tag in _NUMBERS and isinstance(value, str):
            raise _NotInSubsetError  # MC126: the builder reports it
    else:
        raise _NotInSubsetError  # "<<" as a value: MC123 from the builder
    if len(text) <= _MEMO_TEXT:
        if len(_TYPED) >= _MEMO_SIZE:
            _TYPED.clear()
        _TYPED[text] = value
    return value


_SHAPES: dict[str, Any] = {}


def _shape(line: str) -> Any:
    """What the lexer needs of a line in one of the common forms (``_SIMPLE_LINE``), a pure
    function of the line (memoised in ``_SHAPES``): ``(column, key_column, key, text,
    value)``, where ``column`` is the line's indentation, ``key_column`` the column after
    the "- " (``column`` when there is none), ``key`` None when no ":" follows, ``text``
    the value as written (None when nothing follows the ":") and ``value`` what ``_plain``
    makes of it (``_PENDING`` for nothing).  ``_OUT`` for any other line.

    It is found before the lexer knows whether the line goes on a plain scalar (then it is
    read as text), so where it raises ``_NotInSubsetError`` the line must leave the subset
    either way.  It does so for a line with a ":" only (a merge key, a key too long, a
    value ``_plain`` refuses): going on a plain scalar, that line holds ": " or ends in
    ":", which ``_Lexer.continue_plain`` refuses too.  A "- value" whose value ``_plain``
    refuses gets the value ``_OUT`` instead (going on a plain scalar it is fine), and a
    value alone is left to ``_Lexer.alone``.
    """
    m = _SIMPLE_LINE.match(line)
    if m is None:
        shape: Any = _OUT
    else:
        indent, dash, key, colon, text = m.groups()
        column = len(indent)
        key_column = column if dash is None else column + len(dash)
        if colon is None:  # "- value" (or a value alone)
            text = key.rstrip(" ")
            value = _OUT
            if dash is not None:
                try:
                    value = _plain(text)
                except _NotInSubsetError:
                    value = _OUT
            shape = (column, key_column, None, text, value)
        else:
            if len(key) > _MAX_KEY:
                raise _NotInSubsetError  # too long to be a simple key
            key = key.rstrip(" ")
            if key == "<<":
                raise _NotInSubsetError  # a merge key
            if text is None:
                shape = (column, key_column, key, None, _PENDING)
            else:
                text = text.rstrip(" ")
                shape = (column, key_column, key, text, _plain(text))
    if len(line) <= _MEMO_TEXT:
        if len(_SHAPES) >= _MEMO_SIZE:
            _SHAPES.clear()
        _SHAPES[line] = shape
    return shape


def _after(rest: str) -> bool:
    """Whether what follows a quoted scalar or ``[]`` on its line is blank or a comment."""
    tail = rest.lstrip(" ")
    return not tail or (tail[0] == "#" and rest[0] == " ")


def _closing(text: str, quote: str, start: int) -> int:
    """Index of the quote closing a quoted scalar in ``text`` (searched from ``start``),
    or -1; raises ``_NotInSubsetError`` on a backslash (an escape) in a double-quoted one."""
    if quote == '"':
        end = text.find('"', start)
        if "\\" in (text[start:] if end < 0 else text[start:end]):
            raise _NotInSubsetError
        return end
    end = start
    while True:
        end = text.find("'", end)
        if end < 0 or not text.startswith("''", end):
            return end
        end += 2  # '' is a quote inside the scalar


class _Quoted:
    """A quoted scalar not closed on its first line (the last token's value): its text so far."""

    def __init__(self, quote: str, minimum: int, first: str) -> None:
        self.quote = quote
        self.minimum = minimum  # the indentation its lines need (the subset's rule)
        self.text = self.unescape(first)
        self.blanks = 0  # blank lines since its last line

    def unescape(self, piece: str) -> str:
        return piece.replace("''", "'") if self.quote == "'" else piece

    def add(self, piece: str) -> None:
        """Fold one more line (without the spaces around the line break) into the text."""
        self.text += ("\n" * self.blanks if self.blanks else " ") + self.unescape(piece)
        self.blanks = 0


def _replace_value(tokens: list[_Token], value: Any) -> None:
    """Give the last token (the one a scalar folded over lines belongs to) its value."""
    kind, number, column, key, _ = tokens[-1]
    tokens[-1] = (kind, number, column, key, value)


class _Lexer:
    """The document's tokens (see ``_Token``), with scalars folded over their lines.

    A scalar that may go on over the next lines is always the last token's value.
    """

    def __init__(self) -> None:
        self.tokens: list[_Token] = []
        # The plain scalar ending the last token, which a line indented at least
        # plain_min continues (_NEVER: none).
        self.plain_min = _NEVER
        self.plain_text = ""  # its first line
        self.folded: str | None = None  # its text, once a line continued it
        self.plain_last = 0  # its last line
        self.quoted: _Quoted | None = None

    def read(self, text: str) -> list[_Token]:
        tokens = self.tokens
        append = tokens.append
        shape_of = _SHAPES.get
        plain_min = _NEVER  # self.plain_min, in a local on the common path
        quoted = None  # self.quoted, the same
        for number, line in enumerate(text.split("\n")):
            if quoted is not None:
                quoted = self.quoted = self.quoted_line(quoted, line)
                continue
            shape = shape_of(line)
            if shape is None:
                shape = _shape(line)
            if shape is _OUT:
                self.plain_min = plain_min
                self.other_line(line, number)
                plain_min, quoted = self.plain_min, self.quoted
                continue
            column, key_column, key, written, value = shape
            if column >= plain_min:
                self.continue_plain(line.strip(" "), number)
                continue
            if self.folded is not None:
                self.close_plain()
            plain_min = _NEVER
            if key is None:  # "- value" (or a value alone: no "- ")
                if key_column == column:
                    self.alone(written, number, column)
                    plain_min, quoted = self.plain_min, self.quoted
                    continue
                if value is _OUT:
                    raise _NotInSubsetError  # see _shape
                append((_DASH, number, column, None, value))
                plain_min, self.plain_text = column + 1, written
                continue
            if key_column != column:  # "- key: ..."
                append((_DASH, number, column, None, _PENDING))
            append((_KEY, number, key_column, key, value))
            if written is not None:
                plain_min, self.plain_text = key_column + 1, written
        self.close_plain()
        if quoted is not None:
            raise _NotInSubsetError  # never closed
        return tokens

    def close_plain(self) -> None:
        """The open plain scalar ends: if folded, its token gets the value of its text."""
        if self.folded is not None:
            _replace_value(self.tokens, _plain(self.folded))
            self.folded = None
        self.plain_min = _NEVER

    def continue_plain(self, piece: str, number: int) -> None:
        """Fold line ``number`` (stripped, not blank, not a comment) into the open plain
        scalar; the lines between are blank."""
        if ": " in piece or piece.endswith(":") or " #" in piece:
            raise _NotInSubsetError  # an error, or a comment ending the scalar: not in the subset
        if self.folded is None:
            self.folded, self.plain_last = self.plain_text, self.tokens[-1][1]
        blanks = number - self.plain_last - 1
        self.folded += ("\n" * blanks if blanks else " ") + piece
        self.plain_last = number

    def quoted_line(self, quoted: _Quoted, line: str) -> _Quoted | None:
        """A line inside the open quoted scalar; None once it closes."""
        body = line.lstrip(" ")
        if not body:
            quoted.blanks += 1
            return quoted
        if len(line) - len(body) < quoted.minimum:
            raise _NotInSubsetError
        end = _closing(body, quoted.quote, 0)
        if end < 0:
            quoted.add(body.rstrip(" "))
            return quoted
        quoted.add(body[:end])
        if not _after(body[end + 1 :]):
            raise _NotInSubsetError
        _replace_value(self.tokens, quoted.text)
        return None

    def other_line(self, line: str, number: int) -> None:
        """A line ``_SIMPLE_LINE`` does not match."""
        body = line.lstrip(" ")
        if not body:
            return  # (a blank line in a plain scalar is counted when the next one comes)
        if body[0] == "#":
            self.close_plain()  # a comment line ends a plain scalar
            return
        column = len(line) - len(body)
        if column >= self.plain_min:
            self.continue_plain(body.rstrip(" "), number)
            return
        self.close_plain()
        if line[:3] in ("---", "..."):
            raise _NotInSubsetError  # a document marker, or close enough to one
        append = self.tokens.append
        dash = -1  # column of the last "-" indicator read
        while body[0] == "-" and (len(body) == 1 or body[1] == " "):
            if dash >= 0:
                append((_DASH, number, dash, None, _PENDING))  # "- - a": a sequence in one
            dash = column
            rest = body[1:].lstrip(" ")
            column += len(body) - len(rest)
            body = rest
            if not body or body[0] == "#":
                append((_DASH, number, dash, None, _PENDING))  # "-" and nothing after it
                return
        colon = -1
        if body[0] not in _INDICATORS:
            colon = body.find(": ")
            if colon < 0 and body.endswith(":"):
                colon = len(body) - 1
            comment = body.find(" #")
            if 0 <= comment < colon:
                colon = -1  # "a #b: c" is the scalar "a" and a comment
        if colon < 0:  # a scalar (quoted, [], {}, plain) after its "-", or alone
            if dash < 0:
                self.alone(body, number, column)
            else:
                append((_DASH, number, dash, None, self.scalar(body, dash + 1)))
            return
        key = body[:colon].rstrip(" ")
        if key == "<<" or colon > _MAX_KEY:
            raise _NotInSubsetError  # a merge key; a key too long to be a simple key
        if dash >= 0:
            append((_DASH, number, dash, None, _PENDING))  # "- key: value"
        rest = body[colon + 1 :].lstrip(" ")
        value = _PENDING if not rest or rest[0] == "#" else self.scalar(rest, column + 1)
        append((_KEY, number, column, key, value))

    def alone(self, body: str, number: int, column: int) -> None:
        """A scalar alone on its line: the value of the ``-`` or key ending the line
        before (indented past it), else a continuation or an error."""
        last = self.tokens[-1] if self.tokens else None
        if last is None or last[4] is not _PENDING or column <= last[2]:
            raise _NotInSubsetError
        self.tokens.append((_SCALAR, number, column, None, self.scalar(body, last[2] + 1)))

    def scalar(self, text: str, minimum: int) -> Any:
        """The value written as ``text`` (not blank, not a comment) after ``: ``, after
        ``- `` or alone, for the token appended next; a plain or quoted scalar may go on
        over the lines indented at least ``minimum``."""
        self.plain_min = _NEVER
        first = text[0]
        if first in "'\"":
            end = _closing(text, first, 1)
            if end < 0:  # folded over the next lines
                self.quoted = _Quoted(first, minimum, text[1:].rstrip(" "))
                return self.quoted
            if not _after(text[end + 1 :]):
                raise _NotInSubsetError  # a quoted key, or an error
            return text[1:end].replace("''", "'") if first == "'" else text[1:end]
        if first in "[{":
            if text.startswith("[]") and _after(text[2:]):
                return _EMPTY_SEQ
            if text.startswith("{}") and _after(text[2:]):
                return _EMPTY_MAP
            raise _NotInSubsetError
        if first in _INDICATORS and (first != "-" or len(text) == 1 or text[1] == " "):
            raise _NotInSubsetError
        comment = text.find(" #")
        if comment >= 0:  # the scalar ends at the comment, and cannot go on
            text = text[:comment].rstrip(" ")
        else:
            text = text.rstrip(" ")
            self.plain_min, self.plain_text = minimum, text
        if ": " in text or text.endswith(":"):
            raise _NotInSubsetError  # a mapping where YAML allows none
        return _plain(text)


class _Reader:
    """Data, positions and MC122 from the tokens, in the order ``_Builder`` makes them."""

    def __init__(self, tokens: list[_Token], first_line: int, out: YamlResult, max_depth: int) -> None:
        self.tokens = tokens
        self.next = 0  # index of the next token to read
        self.offset = first_line
        self.positions = out.positions
        self.diagnostics = out.diagnostics
        self.max_depth = max_depth
        self.null = _plain("")  # an empty value: what the resolver makes of ""

    def document(self) -> Any:
        first = self.tokens[0]  # (not a _SCALAR: those follow a "-" or key)
        self.positions[()] = first[1] + self.offset
        data = self.collection(first, (), 0, indentless=False)
        if self.next < len(self.tokens):
            raise _NotInSubsetError  # a line left of the root collection's indentation
        return data

    def collection(self, first: _Token, path: Path, depth: int, *, indentless: bool) -> Any:
        """The block sequence or mapping whose first token is ``first`` (next to read)."""
        if depth > self.max_depth:
            raise _NotInSubsetError
        if first[0] == _DASH:
            return self.sequence(first[2], path, depth, indentless)
        return self.mapping(first[2], path, depth)

    def value(self, token: _Token, path: Path, depth: int, replace: bool) -> Any:
        """The value of the key or ``-`` ``token`` just read, when it is not a scalar
        written on its line; its position placed (replaced for a duplicate key, as
        ``_Builder.mapping`` does)."""
        line, value = token[1], token[4]
        if value is _PENDING:
            follows = self.tokens[self.next] if self.next < len(self.tokens) else None
            if follows is None or follows[2] < token[2]:
                value = self.null  # the parser's empty scalar, at the end of the ":" or "-"
            elif follows[0] == _SCALAR:  # (indented past the token: see _Lexer.alone)
                self.next += 1  # a scalar on the lines below
                line, value = follows[1], follows[4]
            elif follows[2] > token[2]:
                # a block collection: after "- " on this line, or on the lines below
                self.place(path, follows[1], replace)
                return self.collection(follows, path, depth, indentless=False)
            elif token[0] == _KEY and follows[0] == _DASH:
                # "key:" then "- a" at the key's column: YAML's indentless sequence
                self.place(path, follows[1], replace)
                return self.collection(follows, path, depth, indentless=True)
            else:
                value = self.null
        self.place(path, line, replace)
        if value is _EMPTY_SEQ:
            return []
        if value is _EMPTY_MAP:
            return {}
        return value

    def place(self, path: Path, line: int, replace: bool) -> None:
        if replace:
            self.positions[path] = line + self.offset
        else:
            self.positions.setdefault(path, line + self.offset)

    def sequence(self, column: int, path: Path, depth: int, indentless: bool) -> list[Any]:
        tokens, offset, positions = self.tokens, self.offset, self.positions
        items: list[Any] = []
        while True:
            token = tokens[self.next]  # a "-" at this column
            self.next += 1
            value = token[4]
            if value.__class__ is not _Marker:  # a scalar on the "-" line (most items)
                positions.setdefault((*path, len(items)), token[1] + offset)
            elif (
                self.next < len(tokens) and tokens[self.next][1] == token[1] and tokens[self.next][0] == _KEY
            ):
                # "- key: ...", a mapping starting on the "-" line (most other items):
                # what self.value() does for it (the key is right of the "-"), in short
                sub: Path = (*path, len(items))
                positions.setdefault(sub, token[1] + offset)
                if depth >= self.max_depth:
                    raise _NotInSubsetError
                value = self.mapping(tokens[self.next][2], sub, depth + 1)
            else:
                value = self.value(token, (*path, len(items)), depth + 1, False)
            items.append(value)
            if self.next == len(tokens):
                return items
            follows = tokens[self.next]
            if follows[2] < column or (indentless and follows[2] == column and follows[0] == _KEY):
                return items  # the end of this sequence
            if follows[2] != column or follows[0] != _DASH:
                raise _NotInSubsetError  # a continuation line, or an error

    def mapping(self, column: int, path: Path, depth: int) -> dict[str, Any]:
        tokens, offset, positions = self.tokens, self.offset, self.positions
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        while True:
            token = tokens[self.next]  # a key at this column
            self.next += 1
            key: str = token[3]  # type: ignore[assignment]
            sub: Path = (*path, key)
            line = token[1] + offset
            duplicate = key in seen
            if duplicate:
                self.diagnostics.append(_duplicate_key(key, seen[key], line, token[2] + 1, sub))
            seen[key] = line
            value = token[4]
            if value.__class__ is _Marker or duplicate:
                value = self.value(token, sub, depth + 1, duplicate)
            else:  # a scalar on the key's line (most values): the same, in short
                positions.setdefault(sub, line)
            result[key] = value
            if self.next == len(tokens):
                return result
            follows = tokens[self.next]
            if follows[2] < column:
                return result  # the end of this mapping
            if follows[2] != column or follows[0] != _KEY:
                raise _NotInSubsetError  # a continuation line, or an error


def load_lines(text: str, first_line: int, limits: Limits) -> YamlResult | None:
    """``_yaml.load``'s result for a document in the subset (see the module docstring),
    or None: then the other paths read it."""
    if _Loader.yaml_path_resolvers:
        return None
    if not _inside(text):
        return None
    out = YamlResult()
    try:
        tokens = _Lexer().read(text)
        # A token makes at most two nodes (a key and its value), the root one more.
        if not tokens or 4 * len(tokens) + 8 > limits.max_yaml_nodes:
            return None
        reader = _Reader(tokens, first_line, out, min(limits.max_yaml_depth - 1, _MAX_DEPTH))
        out.data = reader.document()
    except (_NotInSubsetError, RecursionError):
        return None
    return out
