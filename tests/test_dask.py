"""The Dask integration on a dask.distributed LocalCluster equals the serial result."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modelcard_parser import to_json
from modelcard_parser.batch import parse_many
from modelcard_parser.frames import history_frame, to_dataframe
from tests._cards import CARDS

db = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

from modelcard_parser.dask import parse_bag, parse_frame, read_parquet, to_frame  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A small in-process cluster: the same scheduler code a real cluster runs."""
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


def _pairs() -> list[tuple[str, str]]:
    return [(f"{card_id}/{i}", text) for i in range(3) for card_id, text in CARDS.items()]


def test_parse_bag_equals_parse_many(client: Any) -> None:
    items = _pairs()
    results = parse_bag(db.from_sequence(items, npartitions=3)).compute()
    serial = list(parse_many(items))
    assert [r.id for r in results] == [r.id for r in serial]
    assert [to_json(r.card, with_sources=True) for r in results if r.card] == [
        to_json(r.card, with_sources=True) for r in serial if r.card
    ]
    assert [r.position for r in results] == [i % 4 for i in range(12)]  # within each partition


def test_to_frame_equals_to_dataframe(client: Any) -> None:
    items = _pairs()
    bag = parse_bag(db.from_sequence(items, npartitions=3))
    serial = list(parse_many(items))
    frame = to_frame(bag).compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(frame, to_dataframe(serial))
    history = to_frame(bag, history=True).compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(history, history_frame(serial))


def test_read_parquet_equals_to_dataframe(client: Any, tmp_path: Path) -> None:
    items = _pairs()
    path = tmp_path / "cards.parquet"
    pd.DataFrame({"modelId": [i for i, _ in items], "card": [t for _, t in items]}).to_parquet(
        path, row_group_size=5
    )
    serial = list(parse_many(items))
    frame = read_parquet(str(path), split_row_groups=True)
    assert frame.npartitions == 3
    pd.testing.assert_frame_equal(frame.compute().reset_index(drop=True), to_dataframe(serial))
    history = read_parquet(str(path), history=True).compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(history, history_frame(serial))


def test_parse_frame_bad_cells_are_error_rows(client: Any) -> None:
    import dask.dataframe as dd

    texts = pd.DataFrame({"modelId": ["a", "b", "c"], "card": [CARDS["org/plain"], None, "x"]})
    frame = parse_frame(dd.from_pandas(texts, npartitions=2)).compute().reset_index(drop=True)
    assert frame["id"].tolist() == ["a", "b", "c"]
    assert frame["error"].tolist()[1] == "#1: column 'card' is missing"  # row 1 of its partition
    assert frame["style"].tolist()[0] == "other"
    assert frame["error"].isna().tolist() == [True, False, True]
