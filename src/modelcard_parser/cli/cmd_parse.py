"""``modelcard parse``: a readable summary, or the JSON contract, of each card."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .._api import to_json
from ..diagnostics import Severity
from ..models import ModelCard
from ._common import io_error, read_cards


def register(sub: Any) -> None:
    p = sub.add_parser(
        "parse",
        help="parse cards and print a summary or their JSON",
        description=(
            "Parse model cards (files, or folders holding README.md / *.md) and print a short "
            "summary per card: name, style, base model, license, datasets, what was found, "
            "and diagnostics as 'path:line: CODE message'. With --json, print one JSON object "
            "per card (the same as parse(...).model_dump(mode='json'))."
        ),
    )
    p.add_argument("cards", nargs="+", metavar="CARD", help="card file or model folder")
    p.add_argument(
        "--json", action="store_true", help="print the JSON contract (one object per line with several cards)"
    )
    p.add_argument(
        "--with-sources", action="store_true", help="with --json: add file lines and values as written"
    )
    p.add_argument("--strict", action="store_true", help="exit 1 when any error-severity diagnostic is found")
    p.set_defaults(func=run)


def summary(path: str, card: ModelCard) -> str:
    """The human-readable summary of one card."""
    hp = card.hyperparameters
    n_hp = len(hp.raw)
    lines = [
        f"{path}",
        f"  name:        {card.model_name or '-'}",
        f"  style:       {card.style}",
        f"  base model:  {card.base_model or '-'}",
        f"  license:     {card.license or '-'}",
        f"  datasets:    {', '.join(card.datasets) or '-'}",
        f"  found:       {n_hp} hyperparameters, {len(card.training_results)} training-result rows, "
        f"{len(card.eval_results)} evaluation results, {len(card.framework_versions)} framework versions",
    ]
    if hp.learning_rate is not None or hp.num_epochs is not None:
        lines.append(
            f"  training:    learning_rate={hp.learning_rate}, epochs={hp.num_epochs}, "
            f"batch={hp.train_batch_size}, optimizer={hp.optimizer.name if hp.optimizer else None}"
        )
    for res in card.eval_results:
        shown = ", ".join(f"{k}={v:.4g}" for k, v in list(res.metrics.items())[:6])
        lines.append(f"  eval ({res.source}{': ' + res.dataset if res.dataset else ''}): {shown or '-'}")
    lines.extend("  " + d.format(path) for d in card.diagnostics)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    status = 0
    for path, card in read_cards(args.cards):
        if isinstance(card, OSError):
            io_error(path, card)
            status = 2
            continue
        if args.json:
            data = to_json(card, with_sources=args.with_sources)
            print(json.dumps(data, ensure_ascii=False, indent=None if len(args.cards) > 1 else 2))
        else:
            print(summary(str(path), card))
        if args.strict and status == 0 and any(d.severity is Severity.ERROR for d in card.diagnostics):
            status = 1
    return status
