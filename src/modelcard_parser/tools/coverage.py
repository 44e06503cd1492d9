"""Field coverage over a card corpus: ``python -m modelcard_parser.tools.coverage CORPUS``.

``CORPUS`` is a folder holding ``MANIFEST.tsv`` (tab-separated, a header row with at
least the columns ``file`` and ``style``; ``file`` is relative to the folder), as
``../shared/corpus`` has.  Every card is parsed; the table counts, per MANIFEST style
(rows) and field (columns), how many cards the parser found that field in, with a
TOTAL row.  Below it:

* how the parser classified the MANIFEST's ``trainer`` and ``keras`` cards;
* every ``trainer``/``keras`` card that has a hyperparameters section (a heading or the
  sentence "The following hyperparameters were used during training") but yields an
  empty ``hyperparameters`` - there must be none;
* every card whose parse raised (there must be none).

Exit status: 0 when nothing is flagged, 1 when a card is flagged or raised, 2 when the
corpus cannot be read.  ``--json`` prints the same data as JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._api import parse
from ..models import ModelCard

__all__ = ["FIELDS", "Coverage", "CoverageRow", "format_table", "has_hyperparameters_section", "main", "run"]

# A hyperparameters heading (ATX or a plain line, as prose rewrites have) or the sentence
# transformers writes above the bullets.
_HP_SECTION = re.compile(
    r"^[ \t]{0,3}(?:#{1,6}[ \t]*)?[*_]*(?:training[ \t]+)?hyper-?parameters[*_]*[ \t]*:?[ \t]*$"
    r"|hyperparameters were used during training",
    re.IGNORECASE | re.MULTILINE,
)
_GENERATED = ("trainer", "keras")


def _hp_stated(card: ModelCard) -> bool:
    hp = card.hyperparameters.model_dump(mode="json")
    return any(v not in (None, {}, []) for v in hp.values())


def _eval(source: str) -> Callable[[ModelCard], bool]:
    def found(card: ModelCard) -> bool:
        return any(e.source == source and (e.metrics or e.extra) for e in card.eval_results)

    return found


FIELDS: dict[str, Callable[[ModelCard], bool]] = {
    "hp": _hp_stated,
    "lr": lambda c: c.hyperparameters.learning_rate is not None,
    "batch": lambda c: any(
        v is not None
        for v in (
            c.hyperparameters.train_batch_size,
            c.hyperparameters.eval_batch_size,
            c.hyperparameters.total_train_batch_size,
        )
    ),
    "optim": lambda c: c.hyperparameters.optimizer is not None,
    "sched": lambda c: c.hyperparameters.lr_scheduler is not None,
    "ep/steps": lambda c: (
        c.hyperparameters.num_epochs is not None or c.hyperparameters.training_steps is not None
    ),
    "results": lambda c: bool(c.training_results),
    "eval-text": _eval("text"),
    "model-index": _eval("model-index"),
    "frameworks": lambda c: bool(c.framework_versions),
    "base_model": lambda c: c.base_model is not None,
    "license": lambda c: c.license is not None,
    "datasets": lambda c: bool(c.datasets),
}
"""Column -> does the card have it.  ``hp``: any hyperparameter at all; ``batch``: any
batch size; ``ep/steps``: num_epochs or training_steps; ``results``: at least one
training-results row; ``eval-text``/``model-index``: final metrics from the body's
bullets / the front matter."""


def has_hyperparameters_section(text: str) -> bool:
    """Does the card text have a hyperparameters heading or transformers' sentence?"""
    return _HP_SECTION.search(text) is not None


@dataclass
class CoverageRow:
    """The counts of one MANIFEST style (or the total)."""

    style: str
    cards: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    rows: int = 0
    """Training-results rows, summed over the cards."""


@dataclass
class Coverage:
    """Everything :func:`run` finds over one corpus."""

    rows: dict[str, CoverageRow] = field(default_factory=dict)
    total: CoverageRow = field(default_factory=lambda: CoverageRow("TOTAL"))
    parsed_style: dict[str, dict[str, int]] = field(default_factory=dict)
    """MANIFEST style (trainer/keras) -> parsed style -> cards."""
    style_mismatches: list[tuple[str, str, str]] = field(default_factory=list)
    """(file, MANIFEST style, parsed style) of trainer/keras cards parsed otherwise."""
    empty_hyperparameters: list[str] = field(default_factory=list)
    """trainer/keras cards with a hyperparameters section and empty hyperparameters."""
    exceptions: list[tuple[str, str]] = field(default_factory=list)
    """(file, exception) of cards whose parse raised."""

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data."""

        def row(r: CoverageRow) -> dict[str, Any]:
            return {"style": r.style, "cards": r.cards, **r.counts, "result_rows": r.rows}

        return {
            "fields": list(FIELDS),
            "rows": [row(r) for r in self.rows.values()],
            "total": row(self.total),
            "parsed_style": self.parsed_style,
            "style_mismatches": [list(m) for m in self.style_mismatches],
            "empty_hyperparameters": self.empty_hyperparameters,
            "exceptions": [list(e) for e in self.exceptions],
        }


def _manifest(corpus: Path) -> list[dict[str, str]]:
    with open(corpus / "MANIFEST.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    if rows and not {"file", "style"} <= set(rows[0]):
        msg = f"{corpus / 'MANIFEST.tsv'}: needs the columns 'file' and 'style'"
        raise ValueError(msg)
    return rows


def run(corpus: str | Path) -> Coverage:
    """Parse every card the corpus's MANIFEST.tsv lists and count what was found."""
    corpus = Path(corpus)
    report = Coverage()
    for entry in _manifest(corpus):
        name, style = entry["file"], (entry["style"] or "").strip() or "?"
        row = report.rows.setdefault(style, CoverageRow(style))
        row.cards += 1
        report.total.cards += 1
        path = corpus / name
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
            card = parse(path)
        except Exception as exc:
            report.exceptions.append((name, f"{type(exc).__name__}: {exc}"))
            continue
        for column, found in FIELDS.items():
            if found(card):
                row.counts[column] += 1
                report.total.counts[column] += 1
        row.rows += len(card.training_results)
        report.total.rows += len(card.training_results)
        if style in _GENERATED:
            by_style = report.parsed_style.setdefault(style, {})
            by_style[card.style] = by_style.get(card.style, 0) + 1
            if card.style != style:
                report.style_mismatches.append((name, style, card.style))
            if has_hyperparameters_section(text) and not _hp_stated(card):
                report.empty_hyperparameters.append(name)
    report.rows = dict(sorted(report.rows.items(), key=lambda kv: (-kv[1].cards, kv[0])))
    return report


def format_table(report: Coverage) -> str:
    """The coverage table and the flagged cards, as plain text."""
    header = ["style", "cards", *FIELDS, "rows"]
    lines: list[list[str]] = [header]
    for r in [*report.rows.values(), report.total]:
        lines.append([r.style, str(r.cards), *(str(r.counts[f]) for f in FIELDS), str(r.rows)])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def fmt(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]).rstrip()

    out = [fmt(lines[0]), fmt(["-" * w for w in widths])]
    out.extend(fmt(cells) for cells in lines[1:-1])
    out.extend([fmt(["-" * w for w in widths]), fmt(lines[-1]), ""])
    out.append(
        "Columns: cards having the field; hp = any hyperparameter, batch = any batch size, "
        "ep/steps = num_epochs or training_steps, results = training-results rows, rows = "
        "those rows summed."
    )
    for style, parsed in report.parsed_style.items():
        counts = ", ".join(f"{n} as {s}" for s, n in sorted(parsed.items(), key=lambda kv: -kv[1]))
        out.append(f"MANIFEST {style} cards parsed: {counts}")
    out.extend(f"  style differs: {f} (MANIFEST {m}, parsed {p})" for f, m, p in report.style_mismatches)
    if report.empty_hyperparameters:
        out.append(
            f"{len(report.empty_hyperparameters)} trainer/keras card(s) with a hyperparameters "
            "section yield empty hyperparameters:"
        )
        out.extend(f"  {name}" for name in report.empty_hyperparameters)
    else:
        out.append("trainer/keras cards with a hyperparameters section but empty hyperparameters: none")
    if report.exceptions:
        out.append(f"{len(report.exceptions)} card(s) raised:")
        out.extend(f"  {name}: {exc}" for name, exc in report.exceptions)
    else:
        out.append("exceptions: none")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(
        prog="python -m modelcard_parser.tools.coverage",
        description="Which fields the parser finds, per MANIFEST style, over a card corpus.",
    )
    ap.add_argument("corpus", help="folder holding MANIFEST.tsv (columns file, style) and the cards")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    try:
        report = run(args.corpus)
    except (OSError, ValueError, csv.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(format_table(report))
    return 1 if report.empty_hyperparameters or report.exceptions else 0


if __name__ == "__main__":
    sys.exit(main())
