"""Cards as tables: one row per card, one row per training-results row.

``to_dataframe(cards)`` and ``history_frame(cards)`` build pandas DataFrames (extra
``[pandas]``); :func:`card_schema` / :func:`history_schema` are the same columns as an
Arrow schema for Parquet (extra ``[parquet]``), written by ``modelcard batch -o X.parquet``
(and ``--history Y.parquet``).  Both accept :class:`~modelcard_parser.ModelCard` objects
or :class:`~modelcard_parser.batch.BatchResult` items (whose id, path and error fill the
first three columns; a failed card is a row with only those).  Columns are fixed, in this
order, and documented in :data:`CARD_COLUMNS` and :data:`HISTORY_COLUMNS`:

===========================  =====================  =======================================
column                       Arrow / pandas type    meaning
===========================  =====================  =======================================
id                           string                 input id (file path, or id column)
path                         string                 card file, or the JSONL/Parquet file
error                        string                 why the card could not be parsed
style                        string                 trainer, keras or other
model_name                   string                 ``ModelCard.model_name``
base_model                   string                 first base model
base_models                  list<string> / object  every base model of the front matter
license                      string
language                     list<string> / object
tags                         list<string> / object
datasets                     list<string> / object
metrics                      list<string> / object  the front matter's metric tags
library_name                 string
pipeline_tag                 string
learning_rate                float64 / Float64      hyperparameters ...
train_batch_size             int64 / Int64
eval_batch_size              int64 / Int64
total_train_batch_size       int64 / Int64
gradient_accumulation_steps  int64 / Int64
seed                         int64 / Int64
num_devices                  int64 / Int64
num_epochs                   float64 / Float64
training_steps               int64 / Int64
optimizer                    string                 optimizer name (``adamw_torch``)
lr_scheduler_type            string
warmup_ratio                 float64 / Float64
warmup_steps                 int64 / Int64
mixed_precision              string
n_training_results           int64 / Int64          rows of the training-results table(s)
final_epoch                  float64 / Float64      ... of the last row
final_training_loss          float64 / Float64
final_validation_loss        float64 / Float64
n_eval_results               int64 / Int64          evaluation results (text + model-index)
eval_source                  string                 the first one's source
eval_dataset                 string                 ... its dataset
eval_metrics                 map<string, float64>   ... its metrics (a dict in pandas)
transformers_version         string                 framework versions
pytorch_version              string
tensorflow_version           string
datasets_version             string
tokenizers_version           string
n_diagnostics                int64 / Int64
n_errors                     int64 / Int64          error-severity diagnostics
diagnostic_codes             list<string> / object  distinct codes, sorted
===========================  =====================  =======================================

History columns: ``id``, ``path``, ``row`` (0-based row of the card), ``dataset``,
``epoch``, ``step``, ``training_loss``, ``validation_loss`` and ``metrics`` (every other
column, map<string, float64>; ``history_frame(..., wide=True)`` spreads it into one float
column per metric, sorted by name, after the fixed columns).

In pandas, strings are ``string``, integers ``Int64`` and floats ``Float64`` (nullable:
a missing value is ``<NA>``), lists and maps are Python objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Union

from .diagnostics import Severity
from .models import ModelCard

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

    from .batch import BatchResult

__all__ = [
    "CARD_COLUMNS",
    "HISTORY_COLUMNS",
    "Column",
    "ParquetSink",
    "card_row",
    "card_schema",
    "history_frame",
    "history_rows",
    "history_schema",
    "to_dataframe",
]

Kind = Literal["string", "int64", "float64", "list<string>", "map<string,float64>"]
CardLike = Union[ModelCard, "BatchResult"]


@dataclass(frozen=True)
class Column:
    """One column: its name, its type and what it holds."""

    name: str
    kind: Kind
    doc: str


def _c(name: str, kind: Kind, doc: str) -> Column:
    return Column(name, kind, doc)


CARD_COLUMNS: tuple[Column, ...] = (
    _c("id", "string", "the input's id: the file path, or the id column of a JSONL/Parquet row"),
    _c("path", "string", "the card file, or the JSONL/Parquet file the text came from"),
    _c("error", "string", "why the card could not be parsed; null when it was"),
    _c("style", "string", "trainer, keras or other"),
    _c("model_name", "string", "model-index name, front matter model_name, or the H1 title"),
    _c("base_model", "string", "the first base model (front matter, else the body's link)"),
    _c("base_models", "list<string>", "every base model the front matter lists"),
    _c("license", "string", "front matter license"),
    _c("language", "list<string>", "front matter languages"),
    _c("tags", "list<string>", "front matter tags"),
    _c("datasets", "list<string>", "front matter datasets"),
    _c("metrics", "list<string>", "front matter metric tags"),
    _c("library_name", "string", "front matter library_name"),
    _c("pipeline_tag", "string", "front matter pipeline_tag"),
    _c("learning_rate", "float64", "hyperparameter (Keras: the schedule's initial rate)"),
    _c("train_batch_size", "int64", "hyperparameter"),
    _c("eval_batch_size", "int64", "hyperparameter"),
    _c("total_train_batch_size", "int64", "hyperparameter"),
    _c("gradient_accumulation_steps", "int64", "hyperparameter"),
    _c("seed", "int64", "hyperparameter"),
    _c("num_devices", "int64", "hyperparameter"),
    _c("num_epochs", "float64", "hyperparameter"),
    _c("training_steps", "int64", "hyperparameter"),
    _c("optimizer", "string", "optimizer name, e.g. adamw_torch"),
    _c("lr_scheduler_type", "string", "learning-rate schedule, e.g. linear"),
    _c("warmup_ratio", "float64", "learning-rate schedule warmup ratio"),
    _c("warmup_steps", "int64", "learning-rate schedule warmup steps"),
    _c("mixed_precision", "string", "mixed precision as written"),
    _c("n_training_results", "int64", "rows of the training-results table(s)"),
    _c("final_epoch", "float64", "epoch of the last training-results row"),
    _c("final_training_loss", "float64", "training loss of the last row"),
    _c("final_validation_loss", "float64", "validation loss of the last row"),
    _c("n_eval_results", "int64", "evaluation results (text bullets and model-index)"),
    _c("eval_source", "string", "source of the first evaluation result: text or model-index"),
    _c("eval_dataset", "string", "dataset of the first evaluation result"),
    _c("eval_metrics", "map<string,float64>", "metrics of the first evaluation result"),
    _c("transformers_version", "string", "framework version"),
    _c("pytorch_version", "string", "framework version"),
    _c("tensorflow_version", "string", "framework version"),
    _c("datasets_version", "string", "framework version"),
    _c("tokenizers_version", "string", "framework version"),
    _c("n_diagnostics", "int64", "diagnostics of every severity"),
    _c("n_errors", "int64", "error-severity diagnostics"),
    _c("diagnostic_codes", "list<string>", "distinct diagnostic codes, sorted"),
)
"""The columns of :func:`to_dataframe` and of ``modelcard batch -o X.parquet``, in order."""

HISTORY_COLUMNS: tuple[Column, ...] = (
    _c("id", "string", "the card's input id"),
    _c("path", "string", "the card file, or the JSONL/Parquet file"),
    _c("row", "int64", "0-based position of the row among the card's training results"),
    _c("dataset", "string", "the table's caption when a card has one table per dataset"),
    _c("epoch", "float64", "completed epochs"),
    _c("step", "int64", "training step"),
    _c("training_loss", "float64", "training loss (null for 'No log')"),
    _c("validation_loss", "float64", "validation loss"),
    _c("metrics", "map<string,float64>", "every other column, by canonical name"),
)
"""The columns of :func:`history_frame` and of ``modelcard batch --history X.parquet``."""


def _unpack(item: CardLike) -> tuple[ModelCard | None, str | None, str | None, str | None]:
    if isinstance(item, ModelCard):
        return item, None, item.path, None
    return item.card, item.id, item.path, item.error


def card_row(item: CardLike) -> dict[str, Any]:
    """One card (or batch result) as a flat dict keyed by :data:`CARD_COLUMNS` names."""
    card, card_id, path, error = _unpack(item)
    row: dict[str, Any] = dict.fromkeys(c.name for c in CARD_COLUMNS)
    row.update(id=card_id, path=path, error=error)
    if card is None:
        return row
    hp = card.hyperparameters
    sched = hp.lr_scheduler
    last = card.training_results[-1] if card.training_results else None
    first_eval = card.eval_results[0] if card.eval_results else None
    fw = card.framework_versions
    row.update(
        style=card.style,
        model_name=card.model_name,
        base_model=card.base_model,
        base_models=list(card.base_models),
        license=card.license,
        language=list(card.language),
        tags=list(card.tags),
        datasets=list(card.datasets),
        metrics=list(card.metrics),
        library_name=card.library_name,
        pipeline_tag=card.pipeline_tag,
        learning_rate=hp.learning_rate,
        train_batch_size=hp.train_batch_size,
        eval_batch_size=hp.eval_batch_size,
        total_train_batch_size=hp.total_train_batch_size,
        gradient_accumulation_steps=hp.gradient_accumulation_steps,
        seed=hp.seed,
        num_devices=hp.num_devices,
        num_epochs=hp.num_epochs,
        training_steps=hp.training_steps,
        optimizer=hp.optimizer.name if hp.optimizer else None,
        lr_scheduler_type=sched.type if sched else None,
        warmup_ratio=sched.warmup_ratio if sched else None,
        warmup_steps=sched.warmup_steps if sched else None,
        mixed_precision=hp.mixed_precision,
        n_training_results=len(card.training_results),
        final_epoch=last.epoch if last else None,
        final_training_loss=last.training_loss if last else None,
        final_validation_loss=last.validation_loss if last else None,
        n_eval_results=len(card.eval_results),
        eval_source=first_eval.source if first_eval else None,
        eval_dataset=first_eval.dataset if first_eval else None,
        eval_metrics=dict(first_eval.metrics) if first_eval else None,
        transformers_version=fw.get("transformers"),
        pytorch_version=fw.get("pytorch"),
        tensorflow_version=fw.get("tensorflow"),
        datasets_version=fw.get("datasets"),
        tokenizers_version=fw.get("tokenizers"),
        n_diagnostics=len(card.diagnostics),
        n_errors=sum(d.severity is Severity.ERROR for d in card.diagnostics),
        diagnostic_codes=sorted({d.code for d in card.diagnostics}),
    )
    return row


def history_rows(item: CardLike) -> list[dict[str, Any]]:
    """One flat dict per training-results row, keyed by :data:`HISTORY_COLUMNS` names."""
    card, card_id, path, _ = _unpack(item)
    if card is None:
        return []
    return [
        {
            "id": card_id,
            "path": path,
            "row": i,
            "dataset": r.dataset,
            "epoch": r.epoch,
            "step": r.step,
            "training_loss": r.training_loss,
            "validation_loss": r.validation_loss,
            "metrics": dict(r.metrics),
        }
        for i, r in enumerate(card.training_results)
    ]


# --- pandas -------------------------------------------------------------------------------
def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "DataFrames need pandas: pip install 'modelcard-parser[pandas]'"
        raise ImportError(msg) from exc
    return pd


def _frame(columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> pd.DataFrame:
    pd = _pandas()
    dtypes = {"string": pd.StringDtype(), "int64": "Int64", "float64": "Float64"}
    data = {}
    for col in columns:
        values = [row[col.name] for row in rows]
        dtype = dtypes.get(col.kind, object)
        data[col.name] = (
            pd.array(values, dtype=dtype) if dtype is not object else pd.Series(values, dtype=object)
        )
    return pd.DataFrame(data)


def to_dataframe(cards: Iterable[CardLike]) -> pd.DataFrame:
    """One row per card with the columns of :data:`CARD_COLUMNS` (see the module docs)."""
    return _frame(CARD_COLUMNS, [card_row(c) for c in cards])


def history_frame(cards: Iterable[CardLike], *, wide: bool = False) -> pd.DataFrame:
    """One row per training-results row (:data:`HISTORY_COLUMNS`).

    ``wide=True`` replaces the ``metrics`` column by one ``Float64`` column per metric
    name found (sorted), missing values ``<NA>``.
    """
    rows = [row for c in cards for row in history_rows(c)]
    frame = _frame(HISTORY_COLUMNS, rows)
    if not wide:
        return frame
    pd = _pandas()
    names = sorted({name for row in rows for name in row["metrics"]})
    frame = frame.drop(columns=["metrics"])
    for name in names:
        frame[name] = pd.array([row["metrics"].get(name) for row in rows], dtype="Float64")
    return frame


# --- Arrow / Parquet ----------------------------------------------------------------------
def _pyarrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "Parquet needs pyarrow: pip install 'modelcard-parser[parquet]'"
        raise ImportError(msg) from exc
    return pa


def _schema(columns: tuple[Column, ...]) -> pa.Schema:
    pa = _pyarrow()
    types = {
        "string": pa.string(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "list<string>": pa.list_(pa.string()),
        "map<string,float64>": pa.map_(pa.string(), pa.float64()),
    }
    return pa.schema([pa.field(c.name, types[c.kind], metadata={"doc": c.doc}) for c in columns])


def card_schema() -> pa.Schema:
    """The Arrow schema of :data:`CARD_COLUMNS` (each field's ``doc`` in its metadata)."""
    return _schema(CARD_COLUMNS)


def history_schema() -> pa.Schema:
    """The Arrow schema of :data:`HISTORY_COLUMNS`."""
    return _schema(HISTORY_COLUMNS)


def _arrow_ready(columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for col in columns:
        values = [row[col.name] for row in rows]
        if col.kind.startswith("map"):
            values = [None if v is None else list(v.items()) for v in values]
        out[col.name] = values
    return out


class ParquetSink:
    """Write rows (of ``columns``) to a Parquet file as they come, in row groups of
    ``batch_rows`` rows, so memory stays flat.

    >>> with ParquetSink("cards.parquet") as sink:  # doctest: +SKIP
    ...     sink.write(card_row(card))
    """

    def __init__(
        self, path: str, columns: tuple[Column, ...] = CARD_COLUMNS, *, batch_rows: int = 2048
    ) -> None:
        pa = _pyarrow()
        import pyarrow.parquet as pq

        self._pa = pa
        self.columns = columns
        self.schema = _schema(columns)
        self.batch_rows = batch_rows
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self._writer = pq.ParquetWriter(path, self.schema)

    def write(self, row: dict[str, Any]) -> None:
        """Add one row (a dict from :func:`card_row` or :func:`history_rows`)."""
        self.rows.append(row)
        if len(self.rows) >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows as a row group."""
        if not self.rows:
            return
        batch = self._pa.RecordBatch.from_pydict(_arrow_ready(self.columns, self.rows), schema=self.schema)
        self._writer.write_batch(batch)
        self.count += len(self.rows)
        self.rows = []

    def close(self) -> None:
        """Flush and close the file (an empty file still gets the schema)."""
        self.flush()
        self._writer.close()

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
