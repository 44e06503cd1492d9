"""``modelcard check``: contradictions, impossible values and failed runs, ruff-style."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections import Counter
from typing import Any

from ..checks import check, validate_selectors
from ..diagnostics import CODES, Diagnostic, Severity
from ._common import io_error, read_cards

_DESCRIPTION = """\
Check model cards (files, or folders: every *.md below them) for contradictions,
impossible values and failed runs, and print one finding per line:

    path:line: CODE [severity] message

followed by a summary line.  The checks are MC4xx (see --explain all).  The card's
parse diagnostics (MC1xx reading, MC2xx metadata, MC3xx body) are reported too, as
they say where a card could not be read; drop them with --select MC4 or --ignore
MC1,MC2,MC3.

--select/--ignore take codes or prefixes (MC4, MC41, MC401, ALL), comma-separated
or repeated; as in ruff, the longest matching prefix decides and --ignore wins a tie.
"""

_EPILOG = """\
exit status: 0 no finding at or above --fail-on, 1 some finding at or above it,
2 usage or I/O error (an unreadable card; the others are still checked).
"""

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="check cards for contradictions, impossible values and failed runs",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "cards", nargs="*", metavar="CARD_OR_DIR", help="card file, or folder (every *.md below it)"
    )
    p.add_argument(
        "--select", action="append", metavar="CODES", help="report only these codes/prefixes (default: all)"
    )
    p.add_argument("--ignore", action="append", metavar="CODES", help="do not report these codes/prefixes")
    p.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="text (default), json (one document), github (workflow annotations ::error file=...)",
    )
    p.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        default="error",
        help="lowest severity that makes the exit status 1 (default: error)",
    )
    p.add_argument("--statistics", action="store_true", help="print the count per code instead of findings")
    p.add_argument(
        "--explain",
        metavar="CODE",
        help="print what a code (any MCxxx, parse codes included) means and why; 'all' lists every code",
    )
    p.set_defaults(func=run)


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [part for value in values for part in value.split(",") if part.strip()]


def _usage(message: str) -> int:
    print(f"modelcard check: {message}", file=sys.stderr)
    return 2


def explain(code: str) -> int:
    """Print a code's rationale (``all``: one line per code)."""
    if code.strip().lower() == "all":
        for each in sorted(CODES.values(), key=lambda i: i.code):
            print(f"{each.code}  {each.severity.value:<7}  {each.title}")
        return 0
    info = CODES.get(code.strip().upper())
    if info is None:
        return _usage(f"unknown code {code!r}; 'modelcard check --explain all' lists them")
    print(f"{info.code} ({info.severity.value}): {info.title}\n\n{textwrap.fill(info.rationale, 88)}")
    return 0


def _escape(text: str, *, prop: bool = False) -> str:
    out = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return out.replace(":", "%3A").replace(",", "%2C") if prop else out


def _github(path: str, d: Diagnostic) -> str:
    props = [f"file={_escape(path, prop=True)}"]
    if d.line is not None:
        props.append(f"line={d.line}")
    if d.column is not None:
        props.append(f"col={d.column}")
    title = CODES[d.code].title if d.code in CODES else ""
    props.append(f"title={_escape(f'{d.code} {title}'.strip(), prop=True)}")
    return f"::{_LEVELS[d.severity]} {','.join(props)}::{_escape(f'{d.code} {d.message}')}"


def _summary(findings: list[tuple[str, Diagnostic]], n_cards: int) -> dict[str, int]:
    by_severity = Counter(d.severity.value for _, d in findings)
    return {
        "cards": n_cards,
        "cards_with_findings": len({p for p, _ in findings}),
        "findings": len(findings),
        "error": by_severity["error"],
        "warning": by_severity["warning"],
        "info": by_severity["info"],
    }


def _summary_line(s: dict[str, int]) -> str:
    cards = f"{s['cards']} card{'s' if s['cards'] != 1 else ''}"
    if not s["findings"]:
        return f"No findings in {cards}."
    counts = ", ".join(
        f"{s[k]} {k}{'s' if s[k] != 1 and k != 'info' else ''}" for k in ("error", "warning", "info") if s[k]
    )
    noun = "finding" if s["findings"] == 1 else "findings"
    return f"Found {s['findings']} {noun} ({counts}) in {s['cards_with_findings']} of {cards}."


def _statistics(findings: list[tuple[str, Diagnostic]]) -> list[str]:
    counts = Counter(d.code for _, d in findings)
    lines = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        info = CODES.get(code)
        sev = info.severity.value if info else ""
        lines.append(f"{n:6d}  {code}  {sev:<7}  {info.title if info else ''}".rstrip())
    return lines


def run(args: argparse.Namespace) -> int:
    if args.explain:
        return explain(args.explain)
    if not args.cards:
        return _usage("give at least one CARD_OR_DIR (or --explain CODE)")
    select, ignore = _split(args.select), _split(args.ignore)
    try:
        for selectors in (select, ignore):
            if selectors is not None:
                validate_selectors(selectors)
    except ValueError as exc:
        return _usage(str(exc))
    threshold = Severity(args.fail_on).rank
    status = 0
    n_cards = 0
    findings: list[tuple[str, Diagnostic]] = []
    for path, card in read_cards(args.cards):
        if isinstance(card, OSError):
            io_error(path, card)
            status = 2
            continue
        n_cards += 1
        findings.extend(
            (str(path), d) for d in check(card, select=select, ignore=ignore, parse_diagnostics=True)
        )
    if n_cards == 0 and status == 0:
        return _usage("no card found in " + ", ".join(repr(c) for c in args.cards))
    summary = _summary(findings, n_cards)
    if args.format == "json":
        doc = {
            "findings": [
                {
                    "path": path,
                    "line": d.line,
                    "column": d.column,
                    "code": d.code,
                    "severity": d.severity.value,
                    "title": CODES[d.code].title if d.code in CODES else None,
                    "message": d.message,
                }
                for path, d in findings
            ],
            "summary": summary,
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        if args.statistics:
            lines = _statistics(findings)
        elif args.format == "github":
            lines = [_github(path, d) for path, d in findings]
        else:
            lines = [d.format(path) for path, d in findings]
        for line in lines:
            print(line)
        print(_summary_line(summary))
    if status == 0 and any(d.severity.rank >= threshold for _, d in findings):
        status = 1
    return status
