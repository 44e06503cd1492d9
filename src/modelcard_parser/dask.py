"""Parse card corpora with Dask: the same code on a laptop, a LocalCluster or a real cluster.

Needs the ``[dask]`` extra (dask[distributed], pandas, pyarrow).  Cards are parsed where
the partitions live, serially within a partition; Dask runs partitions in parallel.

>>> import dask.bag as db                                             # doctest: +SKIP
>>> from modelcard_parser.dask import parse_bag, read_parquet, to_frame
>>> results = parse_bag(db.from_sequence(texts, npartitions=64))      # Bag of BatchResult
>>> cards = to_frame(results).compute()        # pandas, the columns of to_dataframe()
>>> frame = read_parquet("hub-cards/*.parquet")    # the public dump: modelId + card
>>> frame.groupby("style").learning_rate.median().compute()
>>> history = read_parquet("hub-cards/*.parquet", history=True)  # per training-results row

``parse_bag`` takes the items :func:`modelcard_parser.batch.parse_many` takes (card text,
``Path``, ``(id, text)``, :class:`~modelcard_parser.batch.CardInput`); a result's
``position`` counts within its partition.  :func:`read_parquet` / :func:`parse_frame` turn a
Dask DataFrame with a text column into one row per card (:data:`.frames.CARD_COLUMNS`) or,
with ``history=True``, one row per training-results row (:data:`.frames.HISTORY_COLUMNS`).
A row whose text is missing or not a string becomes a row with its ``error``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._source import DEFAULT_LIMITS, Limits
from .batch import (
    DEFAULT_ID_COLUMN,
    DEFAULT_TEXT_COLUMN,
    BatchResult,
    CardInput,
    CardItem,
    _row_input,
    parse_many,
)
from .frames import history_frame, to_dataframe

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["parse_bag", "parse_frame", "read_parquet", "to_frame"]


def _parse_partition(items: Iterable[CardItem], limits: Limits) -> list[BatchResult]:
    return list(parse_many(items, limits=limits))


def parse_bag(bag: Any, *, limits: Limits = DEFAULT_LIMITS) -> Any:
    """A ``dask.bag.Bag`` of card items -> a Bag of :class:`~modelcard_parser.batch.BatchResult`."""
    return bag.map_partitions(_parse_partition, limits=limits)


def _results_frame(results: Iterable[BatchResult], history: bool) -> pd.DataFrame:
    return history_frame(results) if history else to_dataframe(results)


def to_frame(results: Any, *, history: bool = False) -> Any:
    """A Bag of BatchResult -> a Dask DataFrame of card rows (or training-results rows)."""
    import dask
    import dask.dataframe as dd

    meta = _results_frame([], history)
    parts = results.map_partitions(_results_frame, history)  # each partition becomes a DataFrame
    # Lists and maps are object columns: dask must not turn them into strings.
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_delayed(parts.to_delayed(), meta=meta, verify_meta=False)


def _missing_as_none(value: Any) -> Any:
    """A missing cell (None, NaN, pd.NA, whatever the column's dtype) as None."""
    import pandas as pd

    if isinstance(value, (str, bytes)) or not pd.api.types.is_scalar(value):
        return value
    return None if pd.isna(value) else value


def _frame_partition(
    part: pd.DataFrame, text_column: str, id_column: str | None, history: bool, limits: Limits
) -> pd.DataFrame:
    texts = [_missing_as_none(v) for v in part[text_column].tolist()]
    ids = (
        [_missing_as_none(v) for v in part[id_column].tolist()]
        if id_column and id_column in part.columns
        else [None] * len(texts)
    )
    items: list[CardInput] = []
    for row, (text, row_id) in enumerate(zip(texts, ids, strict=True)):
        item = _row_input(text, row_id, f"#{row}", "", text_column)
        items.append(CardInput(id=item.id, text=item.text, path=None, error=item.error))
    return _results_frame(parse_many(items, limits=limits), history)


def parse_frame(
    frame: Any,
    *,
    text_column: str = DEFAULT_TEXT_COLUMN,
    id_column: str | None = DEFAULT_ID_COLUMN,
    history: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Any:
    """A Dask DataFrame with a card-text column -> a Dask DataFrame of parsed rows.

    One row per card with :data:`~modelcard_parser.frames.CARD_COLUMNS` (``id`` from
    ``id_column``; ``path`` is null), or with ``history=True`` one row per training-results
    row.  Partition boundaries are kept (partition N of the output comes from partition N).
    """
    meta = _results_frame([], history)
    return frame.map_partitions(
        _frame_partition, text_column, id_column, history, limits, meta=meta, align_dataframes=False
    )


def read_parquet(
    path: Any,
    *,
    text_column: str = DEFAULT_TEXT_COLUMN,
    id_column: str | None = DEFAULT_ID_COLUMN,
    history: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    **kwargs: Any,
) -> Any:
    """``dask.dataframe.read_parquet`` of the text (and id) column, then :func:`parse_frame`.

    ``path`` and ``kwargs`` go to ``dd.read_parquet`` (globs, ``s3://``, ``storage_options``,
    ``blocksize``/``split_row_groups`` ...).
    """
    import dask.dataframe as dd

    columns = [text_column] + ([id_column] if id_column else [])
    frame = dd.read_parquet(path, columns=columns, **kwargs)
    return parse_frame(frame, text_column=text_column, id_column=id_column, history=history, limits=limits)
