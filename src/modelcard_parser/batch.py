"""Batch parsing: many cards in, results out in input order, in parallel, in bounded memory.

>>> from pathlib import Path
>>> from modelcard_parser.batch import parse_many, read_inputs
>>> for result in parse_many(read_inputs(["cards/", "dump.parquet"]), jobs=4):  # doctest: +SKIP
...     print(result.id, result.error or result.card.style)

What :func:`parse_many` accepts, item by item (:data:`CardItem`):

* a :class:`pathlib.Path` (any ``os.PathLike``): a card file, or a model folder holding
  ``README.md``; the file is read where the card is parsed (in the worker with ``jobs``);
* a ``str`` or ``bytes``: card **text**, never a path (wrap path strings in ``Path``);
* an ``(id, text)`` pair: card text with the id it is reported under;
* a :class:`CardInput`, which is what :func:`read_inputs` yields for files, folders,
  JSON Lines and Parquet files (an input that could not be read carries its ``error``).

Each item gives one :class:`BatchResult` (position, id, path, card, error), in input order.
A card that cannot be read, or that trips a parser bug, gives a result with ``error`` set
and ``card`` None; the batch goes on.  With ``jobs > 1`` cards are parsed in worker
processes, a chunk of cards per task, with at most ``2 * jobs + 1`` tasks in flight, so
memory stays flat however long the input is.  When the number of items is known
(``len(items)``, or ``total=``), chunks are sized to it: large while much remains, since
each task costs the parent about as much as a dozen cards, and shrinking towards the end,
so that no worker idles while another finishes a large last chunk.  :func:`map_many` runs
a function on each result *in the worker* (e.g. turning the card into a JSON line) and
yields its return values: transferring a small value is much cheaper than transferring a
whole card.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeVar, Union

from ._api import parse, parse_text
from ._source import DEFAULT_LIMITS, Limits
from .models import ModelCard

__all__ = [
    "DEFAULT_ID_COLUMN",
    "DEFAULT_TEXT_COLUMN",
    "BatchResult",
    "CardInput",
    "CardItem",
    "count_inputs",
    "map_many",
    "parse_many",
    "read_inputs",
]

DEFAULT_TEXT_COLUMN = "card"
"""The text column of the public dump of Hub model cards."""
DEFAULT_ID_COLUMN = "modelId"
"""Its id column."""

_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_PARQUET_BATCH_ROWS = 1024

T = TypeVar("T")


@dataclass(frozen=True)
class CardInput:
    """One card to parse: its text, or the file to read it from; or why it is missing."""

    id: str | None = None
    """Reported with the result: a file's path, or the id column of a JSONL/Parquet row."""
    text: str | bytes | None = None
    """The card text; None to read ``path``."""
    path: str | None = None
    """The card file (text None), or the JSONL/Parquet file the text came from."""
    error: str | None = None
    """Set when the input could not be read (bad JSON line, cell that is not text, ...)."""


CardItem = Union[CardInput, os.PathLike[str], str, bytes, tuple[str, Union[str, bytes]]]
"""What :func:`parse_many` accepts per card (see the module documentation)."""


class BatchResult(NamedTuple):
    """The outcome for one input item."""

    position: int
    """0-based position of the item in the input."""
    id: str | None
    path: str | None
    card: ModelCard | None
    """The parsed card; None when ``error`` is set."""
    error: str | None
    """Why the card could not be parsed (I/O error, unreadable input row, parser bug)."""

    @property
    def ok(self) -> bool:
        """True when a card was parsed."""
        return self.error is None


# --- turning items into work ------------------------------------------------------
_Work = tuple[int, str | None, str | None, str | bytes | None, str | None]
"""(index, id, path, text, error): what travels to a worker."""


def _as_work(index: int, item: CardItem) -> _Work:
    obj: Any = item
    if isinstance(item, CardInput):
        return (index, item.id, item.path, item.text, item.error)
    if isinstance(item, (str, bytes)):
        return (index, None, None, item, None)
    if isinstance(item, os.PathLike):
        path = os.fspath(item)
        return (index, path, path, None, None)
    if isinstance(obj, tuple) and len(obj) == 2 and isinstance(obj[1], (str, bytes)):
        return (index, str(obj[0]), None, obj[1], None)
    error = f"cannot parse a {type(item).__name__}: pass a Path, card text, an (id, text) pair or CardInput"
    return (index, None, None, None, error)


def _parse_work(work: _Work, limits: Limits) -> BatchResult:
    index, card_id, path, text, error = work
    if error is not None:
        return BatchResult(index, card_id, path, None, error)
    if text is None and path is None:
        return BatchResult(index, card_id, path, None, "no card text and no file to read")
    try:
        card = parse_text(text, limits=limits) if text is not None else parse(Path(str(path)), limits=limits)
    except OSError as exc:
        return BatchResult(index, card_id, path, None, f"cannot read {path!r}: {exc.strerror or exc}")
    except Exception as exc:  # a parser bug must not stop a corpus run
        return BatchResult(index, card_id, path, None, f"{type(exc).__name__}: {exc}")
    return BatchResult(index, card_id, path, card, None)


def _identity(result: BatchResult) -> BatchResult:
    return result


def _run_chunk(func: Callable[[BatchResult], T], limits: Limits, chunk: list[_Work]) -> list[T]:
    """Worker side: parse a chunk and apply ``func`` to each result."""
    return [func(_parse_work(work, limits)) for work in chunk]


_DIED = "the worker process parsing this card died"


def _isolate(func: Callable[[BatchResult], T], chunk: list[_Work], limits: Limits, ctx: Any) -> list[T]:
    """Parse a chunk whose worker died, one card per fresh process: only the card that
    kills its process again becomes an error."""
    out: list[T] = []
    for work in chunk:
        with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_worker_start) as solo:
            try:
                out.extend(solo.submit(_run_chunk, func, limits, [work]).result())
            except BrokenProcessPool:
                out.append(func(BatchResult(work[0], work[1], work[2], None, _DIED)))
    return out


def _worker_start() -> None:
    """A forked worker inherits the parent's heap (a caller's cards, say): freezing it keeps
    the garbage collector from walking it again and again."""
    gc.freeze()


def _threads() -> int | None:
    """How many threads this process has, native ones included (Linux only, else None)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # pragma: no cover - no /proc
        return None


def _single_threaded() -> bool:
    """True when this process has exactly one thread (native ones included; Linux only)."""
    return _threads() == 1


def _wait_threads_gone(before: int | None, timeout: float = 0.5) -> None:
    """Wait (briefly) until the threads a pool started have left the process.

    ``shutdown(wait=True)`` joins the pool's threads, but an OS thread outlives its join by
    a moment (about a millisecond).  A batch started in that moment would see two threads,
    not fork, and fall back to forkserver: slower to start, and a script without a
    ``__main__`` guard would fail.
    """
    if before is None:  # pragma: no cover - no /proc
        return
    deadline = time.monotonic() + timeout
    while (now := _threads()) is not None and now > before and time.monotonic() < deadline:
        time.sleep(0.0005)


def _context() -> multiprocessing.context.BaseContext:
    """fork when it is safe (one thread: workers start at once, nothing re-imported),
    else forkserver where there is one, else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _single_threaded():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _pooled(
    func: Callable[[BatchResult], T], chunks: Iterator[list[_Work]], jobs: int, limits: Limits
) -> Iterator[T]:
    window = 2 * jobs + 1
    threads = _threads()
    ctx = _context()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_start)
    pending: deque[tuple[list[_Work], Future[list[T]]]] = deque()

    def submit(chunk: list[_Work]) -> None:
        try:
            future = pool.submit(_run_chunk, func, limits, chunk)
        except BrokenProcessPool as exc:
            # A worker died since the last result was taken (its chunk is still pending):
            # the pool takes no more work.  This chunk fails like the ones it took down,
            # and is redone with them below.
            future = Future()
            future.set_exception(exc)
        pending.append((chunk, future))

    try:
        # Start the workers before the first input is read: reading Parquet starts threads.
        pool.submit(int).result()
        for chunk in itertools.islice(chunks, window):
            submit(chunk)
        while pending:
            chunk, future = pending.popleft()
            try:
                out = future.result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory, a crash in C code) and took every
                # unfinished task with it.  This chunk is redone card by card in a process
                # of its own, so that only a card that kills its process again is an error;
                # the other chunks go to a fresh pool.
                redo = [c for c, _ in pending]
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                ctx = _context()  # threads may run by now: maybe no fork this time
                out = _isolate(func, chunk, limits, ctx)
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_start)
                for c in redo:
                    submit(c)
            nxt = next(chunks, None)
            if nxt is not None:
                submit(nxt)
            yield from out
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _wait_threads_gone(threads)


DEFAULT_CHUNKSIZE = 32
"""Cards per task with ``jobs > 1`` when the number of items is not known."""
_MAX_CHUNK = 256
_MIN_CHUNK = 4
_TAIL = 4  # chunks per worker in what remains


def _chunk_sizes(total: int | None, jobs: int, chunksize: int | None) -> Iterator[int]:
    """Sizes of successive chunks.

    ``chunksize`` given: always that.  Total unknown: :data:`DEFAULT_CHUNKSIZE`.  Total
    known: guided self-scheduling, each chunk a ``1 / (4 * jobs)`` share of what remains,
    between 4 and 256 cards.  A task costs the parent as much as a dozen cards; large
    chunks save that, small last ones keep every worker busy to the end.  Past the total
    (the count was low), back to :data:`DEFAULT_CHUNKSIZE`.
    """
    if chunksize is not None:
        yield from itertools.repeat(max(1, chunksize))
        return
    remaining = total or 0
    while remaining > 0:
        size = min(_MAX_CHUNK, max(_MIN_CHUNK, math.ceil(remaining / (_TAIL * jobs))))
        yield size
        remaining -= size
    yield from itertools.repeat(DEFAULT_CHUNKSIZE)


def _chunked(works: Iterator[_Work], sizes: Iterator[int]) -> Iterator[list[_Work]]:
    for size in sizes:
        chunk = list(itertools.islice(works, size))
        if not chunk:
            return
        yield chunk


def map_many(
    func: Callable[[BatchResult], T],
    items: Iterable[CardItem],
    *,
    jobs: int = 1,
    chunksize: int | None = None,
    total: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[T]:
    """Parse every item and yield ``func(result)`` for each, in input order.

    With ``jobs > 1`` (``jobs=0``: one per CPU) the cards are parsed **and** ``func`` runs
    in worker processes; ``func`` must then be picklable (a module-level function).
    Items are consumed lazily, a chunk per task, at most ``2 * jobs + 1`` tasks ahead of
    the consumer.  ``chunksize`` fixes the cards per task; by default chunks are sized to
    the number of items, ``total`` or ``len(items)``, when either is known (256 cards
    while much remains, fewer towards the end), else 32.
    """
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    works = (_as_work(i, item) for i, item in enumerate(items))
    if jobs == 1:
        return (func(_parse_work(work, limits)) for work in works)
    if total is None and isinstance(items, Sized):
        total = len(items)
    return _pooled(func, _chunked(works, _chunk_sizes(total, jobs, chunksize)), jobs, limits)


def parse_many(
    items: Iterable[CardItem],
    *,
    jobs: int = 1,
    chunksize: int | None = None,
    total: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[BatchResult]:
    """Parse every item; yield one :class:`BatchResult` per item, in input order.

    See the module documentation for the items accepted.  ``jobs`` > 1 parses in that
    many worker processes (``0``: one per CPU); memory stays bounded for any input length.
    ``chunksize`` and ``total`` as in :func:`map_many`.
    """
    return map_many(_identity, items, jobs=jobs, chunksize=chunksize, total=total, limits=limits)


# --- reading inputs -------------------------------------------------------------------
def _card_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.md") if p.is_file())


def _jsonl_rows(
    lines: Iterable[str], source: str, text_column: str, id_column: str | None
) -> Iterator[CardInput]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            yield CardInput(id=where, path=source, error=f"line {number}: not JSON ({exc})")
            continue
        if not isinstance(row, dict):
            yield CardInput(id=where, path=source, error=f"line {number}: not a JSON object")
            continue
        row_id = row.get(id_column) if id_column else None
        yield _row_input(row.get(text_column), row_id, where, source, text_column)


def _row_input(text: Any, row_id: Any, where: str, source: str, text_column: str) -> CardInput:
    card_id = where if row_id is None else str(row_id)
    if isinstance(text, (str, bytes)):
        return CardInput(id=card_id, text=text, path=source)
    what = "missing" if text is None else f"a {type(text).__name__}, not text"
    return CardInput(id=card_id, path=source, error=f"{where}: column {text_column!r} is {what}")


def _missing_column(source: str, column: str, names: Iterable[str]) -> str:
    return f"{source}: no column {column!r} (columns: {', '.join(sorted(names))})"


def _parquet_rows(path: Path, text_column: str, id_column: str | None) -> Iterator[CardInput]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "reading Parquet needs pyarrow: pip install 'modelcard-parser[parquet]'"
        raise ImportError(msg) from exc
    source = str(path)
    try:
        pfile = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:  # missing, or not Parquet (pyarrow raises ArrowInvalid)
        yield CardInput(id=source, path=source, error=f"cannot read {source!r}: {exc}")
        return
    names = set(pfile.schema_arrow.names)
    if text_column not in names:
        raise ValueError(_missing_column(source, text_column, names))
    columns = [text_column] + ([id_column] if id_column and id_column in names else [])
    row = 0
    for batch in pfile.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=columns):
        texts = batch.column(text_column).to_pylist()
        ids = batch.column(id_column).to_pylist() if len(columns) == 2 else [None] * len(texts)
        for text, row_id in zip(texts, ids, strict=True):
            yield _row_input(text, row_id, f"{source}#{row}", source, text_column)
            row += 1


def read_inputs(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    text_column: str = DEFAULT_TEXT_COLUMN,
    id_column: str | None = DEFAULT_ID_COLUMN,
    stdin: IO[str] | None = None,
) -> Iterator[CardInput]:
    """Expand command-line inputs into cards, lazily.

    * a folder: every ``*.md`` below it (``README.md`` included), sorted by path;
    * ``*.jsonl`` / ``*.ndjson`` / ``*.json``: JSON Lines, one object per card, the text in
      ``text_column`` and the id in ``id_column`` (else ``FILE:LINE``);
    * ``*.parquet``: the same columns, read in batches (needs pyarrow);
    * ``-``: JSON Lines on standard input;
    * anything else: a card file (read when parsed).

    A row whose text is missing or not a string, or a line that is not JSON, yields a
    :class:`CardInput` with its ``error``; a missing file fails when it is parsed.
    A Parquet file without ``text_column`` raises ValueError before any card.
    """
    for name in inputs:
        if name == "-":
            lines = stdin if stdin is not None else sys.stdin
            yield from _jsonl_rows(lines, "<stdin>", text_column, id_column)
            continue
        path = Path(name)
        lower = path.name.lower()
        if path.is_dir():
            for card in _card_files(path):
                yield CardInput(id=str(card), path=str(card))
        elif lower.endswith(_PARQUET_SUFFIXES):
            yield from _parquet_rows(path, text_column, id_column)
        elif lower.endswith(_JSONL_SUFFIXES):
            try:
                fh = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
            except OSError as exc:
                why = f"cannot read {str(path)!r}: {exc.strerror or exc}"
                yield CardInput(id=str(path), path=str(path), error=why)
                continue
            with fh:
                yield from _jsonl_rows(fh, str(path), text_column, id_column)
        else:
            yield CardInput(id=str(path), path=str(path))


def count_inputs(inputs: Sequence[str | os.PathLike[str]]) -> int | None:
    """How many cards :func:`read_inputs` will yield, when cheap to know (files, folders,
    Parquet metadata); None with JSON Lines or stdin."""
    total = 0
    for name in inputs:
        path = Path(name)
        lower = path.name.lower()
        if name == "-" or (lower.endswith(_JSONL_SUFFIXES) and not path.is_dir()):
            return None
        if path.is_dir():
            total += len(_card_files(path))
        elif lower.endswith(_PARQUET_SUFFIXES):
            try:
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            except Exception:  # unreadable: the reader reports it
                return None
        else:
            total += 1
    return total
