"""Step 2: find the YAML front matter and where the body starts.

The Hub's rule (``huggingface_hub.repocard.REGEX_YAML_BLOCK``, "same regex as the Hub
server") is: optional whitespace, a ``---`` line, the YAML, a ``---`` line.  Real cards
bend it; each variant we still read gets a located diagnostic so that the user learns
the Hub itself will not see the metadata:

* ``----`` fences (MC111), prose before the fence (MC112), a second block (MC113),
  a BOM (MC114), an opening fence never closed (MC110).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .diagnostics import Diagnostic

_FENCE = re.compile(r"-{3,}[ \t]*\Z")
_CODE_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# A YAML-looking first line: "key:" or "- item"; used to accept a late or second block.
_YAML_KEY = re.compile(r"[A-Za-z_][\w .-]*:(\s|\Z)")
# How many non-blank lines of prose may precede a late front matter (MC112).
_MAX_PROSE_BEFORE = 2
# A late or second block must close within this many lines.
_MAX_LATE_BLOCK = 400


@dataclass(slots=True)
class Block:
    """One front-matter block: its YAML lines and the file line of the first one."""

    first_line: int
    """1-based file line of the first YAML line (the line after the opening fence)."""
    lines: list[str]
    open_line: int
    close_line: int


@dataclass(slots=True)
class Split:
    """The result of splitting a card."""

    blocks: list[Block] = field(default_factory=list)
    body_start: int = 1
    """1-based file line where the body begins."""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _find_close(lines: list[str], start: int, limit: int | None = None) -> int | None:
    """Index of the next fence line at or after ``start`` (0-based), or None."""
    stop = len(lines) if limit is None else min(len(lines), start + limit)
    # The usual fence is exactly "---": list.index finds it without a Python loop over the
    # YAML lines, and it is the first fence line when no line before it starts with "---"
    # (one search of those lines joined; the lines hold no newline).
    try:
        usual = lines.index("---", start, stop)
    except ValueError:
        usual = stop
    before = "\n".join(lines[start:usual])
    if before.startswith("---") or "\n---" in before:
        for i in range(start, usual):
            line = lines[i]
            if line.startswith("---") and _FENCE.match(line):  # (a cheap test first: most lines fail)
                return i
    return usual if usual < stop else None


def _fence_note(line: str, lineno: int, diags: list[Diagnostic]) -> None:
    if line.rstrip() != "---":
        diags.append(
            Diagnostic.make(
                "MC111",
                f"front-matter fence {line.rstrip()!r} is not exactly '---'; "
                "read anyway, but the Hub will not see this metadata",
                lineno,
            )
        )


def _late_block_at(lines: list[str], i: int) -> int | None:
    """If a fenced YAML block opens at index ``i``, return its closing index."""
    if not _FENCE.match(lines[i]) or i + 1 >= len(lines):
        return None
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j >= len(lines) or not _YAML_KEY.match(lines[j]):
        return None
    return _find_close(lines, j, _MAX_LATE_BLOCK)


def _code_fence_around(lines: list[str], open_idx: int, close_idx: int) -> int | None:
    """Index of the line closing a code fence that wraps the block, or None."""
    before = open_idx - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    if before < 0:  # (the usual block, at the top)
        return None
    after = close_idx + 1
    while after < len(lines) and not lines[after].strip():
        after += 1
    if after >= len(lines):
        return None
    opener = _CODE_FENCE.match(lines[before])
    closer = _CODE_FENCE.match(lines[after])
    if opener and closer and closer.group(1)[0] == opener.group(1)[0] and not lines[after].strip("`~ \t"):
        return after
    return None


def split(lines: list[str], *, had_bom: bool = False) -> Split:
    """Split card lines into front-matter blocks and the body start."""
    out = Split()
    diags = out.diagnostics
    n = len(lines)
    i = 0
    while i < n and not lines[i].strip():
        i += 1
    if i >= n:
        out.body_start = n + 1
        return out

    open_idx: int | None = None
    close_idx: int | None = None
    if _FENCE.match(lines[i]):
        open_idx = i
        close_idx = _find_close(lines, i + 1)
        if close_idx is None:
            diags.append(
                Diagnostic.make(
                    "MC110",
                    f"front matter opened by {lines[i].rstrip()!r} is never closed by a '---' "
                    "line; read as body",
                    i + 1,
                )
            )
            out.body_start = i + 2
            return out
    else:
        # Prose before a fence ("Hugging Face's logo" then ---): look a few lines down.
        seen = 0
        j = i
        while j < n and seen <= _MAX_PROSE_BEFORE:
            if lines[j].strip():
                close = _late_block_at(lines, j)
                if close is not None and seen > 0:
                    open_idx, close_idx = j, close
                    diags.append(
                        Diagnostic.make(
                            "MC112",
                            f"text {lines[i].strip()[:60]!r} stands before the front matter; "
                            "read anyway, but the Hub only sees front matter at the top",
                            i + 1,
                        )
                    )
                    break
                seen += 1
            j += 1
        if open_idx is None:
            out.body_start = 1
            return out

    assert close_idx is not None
    if close_idx == open_idx + 1:
        # "---" twice, then the YAML and a closing "---": the Hub's regex reads the second
        # fence as a YAML document marker inside the block, so we read the YAML too.
        doubled_close = _late_block_at(lines, close_idx)
        if doubled_close is not None:
            diags.append(
                Diagnostic.make(
                    "MC115",
                    "the opening '---' is repeated; read as one front matter, as the Hub does",
                    close_idx + 1,
                )
            )
            open_idx, close_idx = close_idx, doubled_close
    if had_bom:
        diags.append(
            Diagnostic.make(
                "MC114",
                "a UTF-8 byte-order mark precedes the front matter; stripped, but the Hub "
                "will not see this metadata",
                1,
            )
        )
    _fence_note(lines[open_idx], open_idx + 1, diags)
    _fence_note(lines[close_idx], close_idx + 1, diags)
    out.blocks.append(Block(open_idx + 2, lines[open_idx + 1 : close_idx], open_idx + 1, close_idx + 1))
    body = close_idx + 1
    fence = _code_fence_around(lines, open_idx, close_idx)
    if fence is not None:
        # "## YAML metadata section" then the block inside a ``` fence: the fence's
        # closing line is not the start of a code block in the body.
        body = fence + 1

    # A second block right after the first (a license block prepended by hand, ...).
    k = body
    while k < n and not lines[k].strip():
        k += 1
    if k < n:
        second_close = _late_block_at(lines, k)
        if second_close is not None:
            diags.append(
                Diagnostic.make(
                    "MC113",
                    "a second front-matter block follows the first; its keys are merged "
                    "where the first does not set them",
                    k + 1,
                )
            )
            out.blocks.append(Block(k + 2, lines[k + 1 : second_close], k + 1, second_close + 1))
            body = second_close + 1
    out.body_start = body + 1
    return out
