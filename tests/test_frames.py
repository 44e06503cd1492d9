"""DataFrames and the Parquet schema: exact columns, dtypes and values."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import modelcard_parser.frames as frames
from modelcard_parser import parse_text
from modelcard_parser.batch import BatchResult, parse_many
from modelcard_parser.frames import CARD_COLUMNS, HISTORY_COLUMNS, card_row, history_rows
from tests._cards import CARDS, KERAS, PLAIN, TRAINER

CARD_DTYPES = {
    "id": "string",
    "path": "string",
    "error": "string",
    "style": "string",
    "model_name": "string",
    "base_model": "string",
    "base_models": "object",
    "license": "string",
    "language": "object",
    "tags": "object",
    "datasets": "object",
    "metrics": "object",
    "library_name": "string",
    "pipeline_tag": "string",
    "learning_rate": "Float64",
    "train_batch_size": "Int64",
    "eval_batch_size": "Int64",
    "total_train_batch_size": "Int64",
    "gradient_accumulation_steps": "Int64",
    "seed": "Int64",
    "num_devices": "Int64",
    "num_epochs": "Float64",
    "training_steps": "Int64",
    "optimizer": "string",
    "lr_scheduler_type": "string",
    "warmup_ratio": "Float64",
    "warmup_steps": "Int64",
    "mixed_precision": "string",
    "n_training_results": "Int64",
    "final_epoch": "Float64",
    "final_training_loss": "Float64",
    "final_validation_loss": "Float64",
    "n_eval_results": "Int64",
    "eval_source": "string",
    "eval_dataset": "string",
    "eval_metrics": "object",
    "transformers_version": "string",
    "pytorch_version": "string",
    "tensorflow_version": "string",
    "datasets_version": "string",
    "tokenizers_version": "string",
    "n_diagnostics": "Int64",
    "n_errors": "Int64",
    "diagnostic_codes": "object",
}
HISTORY_DTYPES = {
    "id": "string",
    "path": "string",
    "row": "Int64",
    "dataset": "string",
    "epoch": "Float64",
    "step": "Int64",
    "training_loss": "Float64",
    "validation_loss": "Float64",
    "metrics": "object",
}

TRAINER_ROW = {
    "id": "org/trainer",
    "path": None,
    "error": None,
    "style": "trainer",
    "model_name": "tiny-imdb",
    "base_model": "distilbert-base-uncased",
    "base_models": ["distilbert-base-uncased"],
    "license": "apache-2.0",
    "language": [],
    "tags": ["generated_from_trainer"],
    "datasets": ["imdb"],
    "metrics": ["accuracy"],
    "library_name": None,
    "pipeline_tag": None,
    "learning_rate": 2e-05,
    "train_batch_size": 16,
    "eval_batch_size": 32,
    "total_train_batch_size": None,
    "gradient_accumulation_steps": None,
    "seed": 42,
    "num_devices": None,
    "num_epochs": 2.0,
    "training_steps": None,
    "optimizer": "adam",
    "lr_scheduler_type": "linear",
    "warmup_ratio": 0.1,
    "warmup_steps": None,
    "mixed_precision": None,
    "n_training_results": 2,
    "final_epoch": 2.0,
    "final_training_loss": 0.1804,
    "final_validation_loss": 0.2471,
    "n_eval_results": 2,
    "eval_source": "text",
    "eval_dataset": None,
    "eval_metrics": {"validation_loss": 0.2471, "accuracy": 0.931},
    "transformers_version": "4.38.2",
    "pytorch_version": "2.2.1+cu121",
    "tensorflow_version": None,
    "datasets_version": "2.18.0",
    "tokenizers_version": "0.15.2",
    "n_diagnostics": 0,
    "n_errors": 0,
    "diagnostic_codes": [],
}


def _results() -> list[BatchResult]:
    return [*parse_many(CARDS.items()), BatchResult(4, "gone", "gone.md", None, "cannot read 'gone.md'")]


def _plain(value: object) -> object:
    """pandas' missing values as None, for comparing rows with plain dicts."""
    pd = pytest.importorskip("pandas")
    if value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


# --- rows (no pandas needed) ----------------------------------------------------------------
def test_card_row_values() -> None:
    (result,) = parse_many([("org/trainer", TRAINER)])
    assert card_row(result) == TRAINER_ROW
    assert list(card_row(result)) == [c.name for c in CARD_COLUMNS]


def test_card_row_of_a_model_card_and_of_an_error() -> None:
    card = parse_text(KERAS)
    row = card_row(card)
    assert (row["id"], row["path"], row["error"], row["style"]) == (None, None, None, "keras")
    assert (row["learning_rate"], row["optimizer"], row["final_epoch"]) == (3e-05, "adam", 2.0)
    assert (row["tensorflow_version"], row["pytorch_version"]) == ("2.8.2", None)
    error = card_row(BatchResult(0, "x", "x.md", None, "boom"))
    assert error == dict.fromkeys(error) | {"id": "x", "path": "x.md", "error": "boom"}


def test_history_rows() -> None:
    (result,) = parse_many([("k", KERAS)])
    assert history_rows(result) == [
        {
            "id": "k",
            "path": None,
            "row": 0,
            "dataset": None,
            "epoch": 1.0,
            "step": None,
            "training_loss": 0.41,
            "validation_loss": 0.3,
            "metrics": {},
        },
        {
            "id": "k",
            "path": None,
            "row": 1,
            "dataset": None,
            "epoch": 2.0,
            "step": None,
            "training_loss": 0.1021,
            "validation_loss": 0.221,
            "metrics": {},
        },
    ]
    assert history_rows(parse_text(PLAIN)) == []
    assert history_rows(BatchResult(0, "x", None, None, "boom")) == []


def test_columns_are_documented_in_order() -> None:
    """The module docstring's table lists every card column, in order; the history
    columns are named in the paragraph after it."""
    doc = frames.__doc__ or ""
    table = doc[doc.index("column    ") : doc.index("History columns:")]
    names = [line.split()[0] for line in table.splitlines()[2:] if line and not line.startswith("=")]
    assert names == [c.name for c in CARD_COLUMNS] == list(CARD_DTYPES)
    history_doc = doc[doc.index("History columns:") : doc.index("In pandas,")]
    assert all(f"``{c.name}``" in history_doc for c in HISTORY_COLUMNS)
    assert [c.name for c in HISTORY_COLUMNS] == list(HISTORY_DTYPES)
    assert all(c.doc for c in CARD_COLUMNS + HISTORY_COLUMNS)


# --- pandas -----------------------------------------------------------------------------------
def test_to_dataframe_columns_dtypes_and_values() -> None:
    pytest.importorskip("pandas")
    df = frames.to_dataframe(_results())
    assert list(df.columns) == list(CARD_DTYPES)
    assert {name: str(dtype) for name, dtype in df.dtypes.items()} == CARD_DTYPES
    assert len(df) == 5
    assert {k: _plain(v) for k, v in df.iloc[0].to_dict().items()} == TRAINER_ROW
    assert df["style"].tolist() == ["trainer", "keras", "other", "other", _pd_na()]
    assert df["error"].isna().tolist() == [True, True, True, True, False]
    assert df.loc[4, "error"] == "cannot read 'gone.md'"
    assert df["n_errors"].tolist() == [0, 0, 0, 1, _pd_na()]
    assert df.loc[3, "diagnostic_codes"] == ["MC120"]


def _pd_na() -> object:
    return pytest.importorskip("pandas").NA


def test_to_dataframe_of_nothing_keeps_the_schema() -> None:
    pytest.importorskip("pandas")
    df = frames.to_dataframe([])
    assert {name: str(dtype) for name, dtype in df.dtypes.items()} == CARD_DTYPES
    assert len(df) == 0


def test_history_frame() -> None:
    pytest.importorskip("pandas")
    results = _results()
    df = frames.history_frame(results)
    assert {name: str(dtype) for name, dtype in df.dtypes.items()} == HISTORY_DTYPES
    assert df["id"].tolist() == ["org/trainer", "org/trainer", "org/keras", "org/keras"]
    assert df["step"].tolist() == [500, 1000, _pd_na(), _pd_na()]
    assert df["metrics"].tolist() == [{"accuracy": 0.921}, {"accuracy": 0.931}, {}, {}]
    wide = frames.history_frame(results, wide=True)
    assert list(wide.columns) == [*list(HISTORY_DTYPES)[:-1], "accuracy"]
    assert str(wide["accuracy"].dtype) == "Float64"
    assert wide["accuracy"].tolist() == [0.921, 0.931, _pd_na(), _pd_na()]


# --- Parquet ----------------------------------------------------------------------------------
def test_parquet_schema_and_round_trip(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    schema = frames.card_schema()
    assert schema.names == list(CARD_DTYPES)
    assert str(schema.field("eval_metrics").type) == "map<string, double>"
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("seed").type == pa.int64()
    assert schema.field("error").metadata == {b"doc": b"why the card could not be parsed; null when it was"}
    path = tmp_path / "cards.parquet"
    with frames.ParquetSink(str(path), batch_rows=2) as sink:
        for result in _results():
            sink.write(card_row(result))
    table = pq.read_table(path)
    assert table.schema == schema
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    rows = table.to_pylist()
    assert rows[0] == TRAINER_ROW | {"eval_metrics": [("validation_loss", 0.2471), ("accuracy", 0.931)]}
    assert [r["error"] for r in rows] == [None, None, None, None, "cannot read 'gone.md'"]


def test_parquet_history_schema(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "history.parquet"
    with frames.ParquetSink(str(path), HISTORY_COLUMNS) as sink:
        for result in _results():
            for row in history_rows(result):
                sink.write(row)
    table = pq.read_table(path)
    assert table.schema == frames.history_schema()
    assert table.column("training_loss").to_pylist() == [0.3012, 0.1804, 0.41, 0.1021]


def test_empty_parquet_still_has_the_schema(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "empty.parquet"
    frames.ParquetSink(str(path)).close()
    assert pq.read_table(path).schema == frames.card_schema()
