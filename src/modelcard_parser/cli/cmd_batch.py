"""``modelcard batch``: a whole corpus in, JSON Lines or Parquet out, in parallel."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO, Any, NamedTuple

from ..batch import DEFAULT_ID_COLUMN, DEFAULT_TEXT_COLUMN, BatchResult, count_inputs, map_many, read_inputs

_DESCRIPTION = """\
Parse a corpus of model cards and write one record per card.

INPUT is a card file, a folder (every README.md / *.md below it), a JSON Lines file
(*.jsonl, *.ndjson) or Parquet file (*.parquet) with one card per row (its text in
--text-column, its id in --id-column, as in the public dump of Hub model cards), or
'-' for JSON Lines on standard input.

OUT is chosen by its extension:

  *.jsonl    one JSON object per card and line, in input order:
             {"id": ..., "path": ..., "error": null, "card": <the JSON contract>}
             (the contract is what 'modelcard parse --json' prints); a card that could
             not be read has "error" set and "card": null.  '-o -' writes to stdout.
  *.parquet  one row per card with the flat columns of modelcard_parser.frames
             (id, path, error, style, model_name, ..., learning_rate, ...,
             eval_metrics, framework versions, diagnostic counts).

--history FILE (.parquet or .jsonl) also writes one row per training-results row
(id, path, row, dataset, epoch, step, training_loss, validation_loss, metrics).

A card that cannot be read (missing file, line that is not JSON, cell that is not
text) becomes a record with its error; the batch goes on.  With -j N the cards are
parsed in N worker processes; the output order is the input order and memory stays
flat however large the input.
"""

_EPILOG = """\
progress (cards/s, and ETA when the total is known) is shown on stderr when it is a
terminal; a summary line (cards, errors, styles, seconds) ends the run unless --quiet.

exit status: 0 every card parsed, 1 some cards could not be read (see their "error"),
2 usage error (unknown output type, missing column, missing pyarrow).
"""

_PROGRESS_EVERY = 0.25  # seconds between progress updates


def register(sub: Any) -> None:
    p = sub.add_parser(
        "batch",
        help="parse a corpus (files, folders, JSONL, Parquet) into JSONL or Parquet",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="card file, folder, .jsonl, .parquet, or -")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .jsonl or .parquet")
    p.add_argument(
        "-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default 1; 0: one per CPU)"
    )
    p.add_argument(
        "--text-column",
        default=DEFAULT_TEXT_COLUMN,
        metavar="NAME",
        help=f"JSONL/Parquet field holding the card text (default {DEFAULT_TEXT_COLUMN!r})",
    )
    p.add_argument(
        "--id-column",
        default=DEFAULT_ID_COLUMN,
        metavar="NAME",
        help=f"JSONL/Parquet field holding the card id (default {DEFAULT_ID_COLUMN!r}; "
        "rows without it get FILE:LINE or FILE#ROW)",
    )
    p.add_argument(
        "--history", metavar="FILE", help="also write one row per training-results row (.parquet or .jsonl)"
    )
    p.add_argument(
        "--chunksize",
        type=int,
        default=None,
        metavar="N",
        help="cards per task with -j (default: up to 256, fewer towards the end when the "
        "number of cards is known; 32 when it is not, as with JSON Lines)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary")
    p.set_defaults(func=run)


# --- worker side ----------------------------------------------------------------------------
class _Record(NamedTuple):
    """What a worker sends back per card: small, already serialised."""

    out: Any  # a JSON line (str) or a flat row (dict)
    history: list[Any]
    style: str | None
    error: str | None


def _jsonl_line(result: BatchResult) -> str:
    card = None if result.card is None else result.card.model_dump(mode="json")
    record = {"id": result.id, "path": result.path, "error": result.error, "card": card}
    return json.dumps(record, ensure_ascii=False)


def make_record(result: BatchResult, *, parquet: bool, history: str | None) -> _Record:
    """Turn one result into its output record(s); runs in the worker process."""
    from ..frames import card_row, history_rows

    out: Any = card_row(result) if parquet else _jsonl_line(result)
    rows: list[Any] = []
    if history is not None:
        rows = history_rows(result)
        if history == "jsonl":
            rows = [json.dumps(r, ensure_ascii=False) for r in rows]
    return _Record(out, rows, None if result.card is None else result.card.style, result.error)


# --- writing --------------------------------------------------------------------------------
def _kind(path: str) -> str | None:
    lower = path.lower()
    if path == "-" or lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
    return None


class _Sink:
    """A JSONL or Parquet writer behind one ``write(record)``."""

    def __init__(self, stack: ExitStack, path: str, kind: str, history: bool) -> None:
        self.kind = kind
        self.fh: IO[str] | None = None
        self.parquet: Any = None
        if kind == "jsonl":
            if path == "-":
                self.fh = sys.stdout
            else:
                self.fh = stack.enter_context(open(path, "w", encoding="utf-8"))  # noqa: SIM115
        else:
            from ..frames import CARD_COLUMNS, HISTORY_COLUMNS, ParquetSink

            self.parquet = stack.enter_context(
                ParquetSink(path, HISTORY_COLUMNS if history else CARD_COLUMNS)
            )

    def write(self, item: Any) -> None:
        if self.fh is not None:
            self.fh.write(item)
            self.fh.write("\n")
        else:
            self.parquet.write(item)


class _Progress:
    """``N cards  R cards/s  ETA h:mm:ss`` on one self-overwriting stderr line."""

    def __init__(self, total: int | None, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.start = time.perf_counter()
        self.shown = 0.0

    def update(self, done: int) -> None:
        now = time.perf_counter()
        if not self.enabled or now - self.shown < _PROGRESS_EVERY:
            return
        self.shown = now
        rate = done / max(now - self.start, 1e-9)
        text = f"{done:,} cards  {rate:,.0f} cards/s"
        if self.total:
            left = max(self.total - done, 0) / rate if rate else 0
            text = f"{done:,}/{self.total:,} cards  {rate:,.0f} cards/s  ETA {_clock(left)}"
        sys.stderr.write(f"\r{text}\x1b[K")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _usage(message: str) -> int:
    print(f"modelcard batch: {message}", file=sys.stderr)
    return 2


def _check_inputs(inputs: list[str], text_column: str) -> str | None:
    """A problem that makes the whole run pointless (missing text column), else None."""
    for name in inputs:
        if _kind(name) == "parquet" and os.path.isfile(name):
            try:
                import pyarrow.parquet as pq
            except ImportError:
                return "reading Parquet needs pyarrow: pip install 'modelcard-parser[parquet]'"
            try:
                names = pq.ParquetFile(name).schema_arrow.names
            except Exception:  # not Parquet: reported as that input's error row
                continue
            if text_column not in names:
                return f"{name}: no column {text_column!r} (columns: {', '.join(names)}); see --text-column"
    return None


def _records(
    args: argparse.Namespace, kind: str, history: str | None, total: int | None
) -> Iterator[_Record]:
    items = read_inputs(args.inputs, text_column=args.text_column, id_column=args.id_column or None)
    func = functools.partial(make_record, parquet=kind == "parquet", history=history)
    return map_many(func, items, jobs=args.jobs, chunksize=args.chunksize, total=total)


def run(args: argparse.Namespace) -> int:
    kind = _kind(args.output)
    if kind is None:
        return _usage(f"cannot tell the output type of {args.output!r}: use .jsonl or .parquet")
    history = None if args.history is None else _kind(args.history)
    if args.history is not None and (history is None or args.history == "-"):
        return _usage(f"cannot tell the history output type of {args.history!r}: use .parquet or .jsonl")
    if "parquet" in (kind, history):
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            return _usage("writing Parquet needs pyarrow: pip install 'modelcard-parser[parquet]'")
    problem = _check_inputs(args.inputs, args.text_column)
    if problem:
        return _usage(problem)
    show = not args.quiet and sys.stderr.isatty()
    # The count serves the ETA and sizes the chunks of -j (cheap: no card is read).
    total = count_inputs(args.inputs) if show or args.jobs != 1 else None
    progress = _Progress(total, enabled=show)
    start = time.perf_counter()
    cards = errors = 0
    styles: Counter[str] = Counter()
    with ExitStack() as stack:
        sink = _Sink(stack, args.output, kind, history=False)
        hist = None if history is None else _Sink(stack, args.history, history, history=True)
        try:
            for record in _records(args, kind, history, total):
                sink.write(record.out)
                if hist is not None:
                    for row in record.history:
                        hist.write(row)
                cards += 1
                if record.error is not None:
                    errors += 1
                else:
                    styles[record.style or "other"] += 1
                progress.update(cards)
        except ValueError as exc:  # e.g. a Parquet input without the text column
            progress.done()
            return _usage(str(exc))
        finally:
            progress.done()
    seconds = time.perf_counter() - start
    if not args.quiet:
        ranked = sorted(styles.items(), key=lambda kv: (-kv[1], kv[0]))
        found = ", ".join(f"{style} {n:,}" for style, n in ranked) or "none"
        print(
            f"modelcard batch: {cards:,} cards, {errors:,} errors, styles: {found}; "
            f"{seconds:.1f} s ({cards / max(seconds, 1e-9):,.0f} cards/s)",
            file=sys.stderr,
        )
    return 1 if errors else 0
