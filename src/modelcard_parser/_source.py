"""Step 1 of the data flow: bytes or text in, newline-normalised lines out.

Line numbers everywhere in the package are 1-based lines of the *original* file:
``\\r\\n``, ``\\r`` and ``\\n`` each end one line, so normalising them never shifts a
line.  Nothing is stripped before positions are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic

BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits that keep hostile cards cheap.  All are configurable.

    The defaults are far above anything seen in real cards (the largest of 290 real
    cards is under 100 KB, its deepest YAML nesting under 10).
    """

    max_bytes: int = 8 * 1024 * 1024
    """Cards larger than this (bytes; characters for ``str`` input) are truncated (MC102)."""
    max_yaml_nodes: int = 100_000
    """YAML nodes composed or constructed in all, per front-matter block (MC124).  The
    largest front matter in ../shared/corpus (a long model-index) has about 6,300."""
    max_yaml_alias_nodes: int = 10_000
    """YAML nodes constructed again through aliases (billion-laughs guard, MC124)."""
    max_yaml_depth: int = 100
    """YAML nesting depth, checked while composing (MC124)."""
    max_table_columns: int = 256
    """Wider tables are cut to this many columns (MC320)."""
    max_table_rows: int = 10_000
    """Longer tables are cut to this many rows, before tokenizing (MC320)."""
    max_markdown_lines: int = 20_000
    """Lines of the sections the extractors read that go through the markdown parser, per
    card (markdown-it costs 30-110 us a line); the rest is not parsed (MC322)."""
    max_markdown_bytes: int = 1024 * 1024
    """Characters of those sections, per card (markdown-it costs ~0.3 us each; MC322)."""


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Source:
    """A card's text, split into lines, with where it came from."""

    text: str
    """Newline-normalised text (BOM removed)."""
    lines: list[str]
    """``text.split("\\n")``; line N of the file is ``lines[N - 1]``."""
    path: str | None = None
    had_bom: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _line_count(text: str) -> int:
    """Lines of a text: ``\r\n``, ``\r`` and ``\n`` each end one line."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def _line_of_offset(data: bytes, offset: int) -> int:
    """1-based line of a byte offset: ``\r\n``, ``\r`` and ``\n`` each end one line."""
    crlf = data.count(b"\r\n", 0, offset)
    return data.count(b"\n", 0, offset) + data.count(b"\r", 0, offset) - crlf + 1


def decode(data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[str, list[Diagnostic]]:
    """Decode UTF-8, replacing invalid bytes and reporting the first one's line."""
    diags: list[Diagnostic] = []
    if len(data) > limits.max_bytes:
        cut = limits.max_bytes
        while 0 < cut < len(data) and data[cut] & 0xC0 == 0x80:
            cut -= 1  # never split a UTF-8 character (that would add a spurious MC101)
        diags.append(
            Diagnostic.make(
                "MC102",
                f"card is larger than the limit of {limits.max_bytes:,} bytes (Limits.max_bytes); "
                "reading stopped on this line",
                _line_of_offset(data, cut),
            )
        )
        data = data[:cut]
    try:
        return data.decode("utf-8"), diags
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 4]
        diags.append(
            Diagnostic.make(
                "MC101",
                f"invalid UTF-8 byte(s) {bad!r} replaced by U+FFFD",
                _line_of_offset(data, exc.start),
            )
        )
        return data.decode("utf-8", errors="replace"), diags


def load_source(
    text: str,
    *,
    path: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    diagnostics: list[Diagnostic] | None = None,
) -> Source:
    """Normalise newlines once, strip a BOM, and split into lines."""
    diags = list(diagnostics or [])
    if len(text) > limits.max_bytes:
        diags.append(
            Diagnostic.make(
                "MC102",
                f"card is larger than the limit of {limits.max_bytes:,} characters (Limits.max_bytes); "
                "reading stopped on this line",
                _line_count(text[: limits.max_bytes]),
            )
        )
        text = text[: limits.max_bytes]
    had_bom = text.startswith(BOM)
    if had_bom:
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        first = text.count("\n", 0, text.index("\x00")) + 1
        diags.append(Diagnostic.make("MC103", f"{text.count(chr(0))} NUL character(s) removed", first))
        text = text.replace("\x00", "")
    return Source(text=text, lines=text.split("\n"), path=path, had_bom=had_bom, diagnostics=diags)
