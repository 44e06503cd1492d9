"""``modelcard compare``: runs side by side, differing cells marked."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..compare import compare
from ._common import read_all_cards


def register(sub: Any) -> None:
    p = sub.add_parser(
        "compare",
        help="compare runs side by side: base model, data, hyperparameters, final metrics",
        description=(
            "Put model cards side by side, one column per card: base model, datasets, key "
            "hyperparameters, final evaluation metrics and the best epoch (lowest validation "
            "loss). Cells that differ from the other runs are marked: '*' in the text table, "
            "bold in markdown, the 'differs' column in CSV, 'marked' in JSON."
        ),
    )
    p.add_argument("cards", nargs="+", metavar="CARD", help="card file or model folder")
    p.add_argument(
        "--format",
        choices=("text", "markdown", "csv", "json"),
        default="text",
        help="output format (default: text, an aligned terminal table)",
    )
    p.add_argument("--diff", action="store_true", help="show only the rows where the runs differ")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cards = read_all_cards(args.cards)
    if cards is None:
        return 2
    table = compare(cards)
    if args.diff:
        table = table.only_differences()
    if args.format == "json":
        print(json.dumps(table.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(table.to_csv())
    elif args.format == "markdown":
        sys.stdout.write(table.to_markdown())
    else:
        sys.stdout.write(table.to_text())
    return 0
