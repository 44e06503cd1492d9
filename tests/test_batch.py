"""Batch parsing: parse_many / map_many, the input readers, and ``modelcard batch``."""

from __future__ import annotations

import io
import itertools
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from modelcard_parser import batch, parse, parse_text, to_json
from modelcard_parser.batch import (
    BatchResult,
    CardInput,
    count_inputs,
    map_many,
    parse_many,
    read_inputs,
)
from modelcard_parser.cli import main
from tests._cards import CARDS, KERAS, PLAIN, TRAINER


def _folder(root: Path) -> list[Path]:
    """Cards in a Hub-like tree; returns them in the reader's (sorted) order."""
    files = []
    for card_id, text in CARDS.items():
        path = root / card_id / "README.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        files.append(path)
    (root / "notes.txt").write_text("not a card", encoding="utf-8")
    return sorted(files)


def _jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _contract(result: BatchResult) -> object:
    assert result.card is not None, result.error
    return to_json(result.card, with_sources=True)


# --- parse_many ---------------------------------------------------------------------------
def test_items_of_every_kind_in_order(tmp_path: Path) -> None:
    card_file = tmp_path / "card.md"
    card_file.write_text(TRAINER, encoding="utf-8")
    items: list[object] = [
        KERAS,
        card_file,
        ("my/id", PLAIN),
        PLAIN.encode(),
        CardInput(id="x", error="bad row"),
        42,
    ]
    results = list(parse_many(items))  # type: ignore[arg-type]
    assert [r.position for r in results] == [0, 1, 2, 3, 4, 5]
    assert [r.id for r in results] == [None, str(card_file), "my/id", None, "x", None]
    assert [r.path for r in results] == [None, str(card_file), None, None, None, None]
    assert [r.ok for r in results] == [True, True, True, True, False, False]
    assert results[0].card == parse_text(KERAS)
    assert _contract(results[1]) == to_json(parse(card_file), with_sources=True)
    assert results[2].card == parse_text(PLAIN)
    assert results[3].card == parse_text(PLAIN)
    assert results[4].error == "bad row"
    assert results[5].error == "cannot parse a int: pass a Path, card text, an (id, text) pair or CardInput"


def test_missing_file_is_an_error_result(tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    first, second = parse_many([missing, PLAIN])
    assert first.card is None
    assert first.error == f"cannot read {str(missing)!r}: No such file or directory"
    assert second.ok


def test_folder_jsonl_and_parquet_give_the_cards_parse_gives(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    files = _folder(tmp_path / "models")
    jsonl = _jsonl(tmp_path / "cards.jsonl", [{"modelId": k, "card": v} for k, v in CARDS.items()])
    parquet = tmp_path / "cards.parquet"
    pq.write_table(
        pa.table({"modelId": list(CARDS), "card": list(CARDS.values())}), parquet, row_group_size=2
    )

    from_folder = list(parse_many(read_inputs([str(tmp_path / "models")])))
    assert [r.id for r in from_folder] == [str(f) for f in files]
    assert [_contract(r) for r in from_folder] == [to_json(parse(f), with_sources=True) for f in files]

    expected = [to_json(parse_text(text), with_sources=True) for text in CARDS.values()]
    for source in (jsonl, parquet):
        results = list(parse_many(read_inputs([str(source)])))
        assert [r.id for r in results] == list(CARDS)
        assert [r.path for r in results] == [str(source)] * len(CARDS)
        assert [_contract(r) for r in results] == expected


def test_a_corrupt_row_in_the_middle_is_an_error_row(tmp_path: Path) -> None:
    jsonl = tmp_path / "cards.jsonl"
    jsonl.write_text(
        json.dumps({"modelId": "a", "card": TRAINER})
        + "\n{not json\n"
        + json.dumps({"modelId": "b", "card": 12})
        + "\n"
        + json.dumps(["a list"])
        + "\n\n"
        + json.dumps({"modelId": "c"})
        + "\n"
        + json.dumps({"card": KERAS})
        + "\n",
        encoding="utf-8",
    )
    results = list(parse_many(read_inputs([str(jsonl)])))
    src = str(jsonl)
    assert [(r.id, r.error) for r in results] == [
        ("a", None),
        (
            f"{src}:2",
            "line 2: not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))",
        ),
        ("b", f"{src}:3: column 'card' is a int, not text"),
        (f"{src}:4", "line 4: not a JSON object"),
        ("c", f"{src}:6: column 'card' is missing"),
        (f"{src}:7", None),
    ]
    assert results[0].card == parse_text(TRAINER)
    assert results[-1].card == parse_text(KERAS)


def test_parquet_null_and_non_text_cells(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    ok = tmp_path / "ok.parquet"
    pq.write_table(pa.table({"card": [TRAINER, None, PLAIN]}), ok)
    ints = tmp_path / "ints.parquet"
    pq.write_table(pa.table({"card": [1, 2], "modelId": ["x", "y"]}), ints)
    not_parquet = tmp_path / "junk.parquet"
    not_parquet.write_text("junk", encoding="utf-8")
    results = list(parse_many(read_inputs([str(ok), str(ints), str(not_parquet)])))
    assert [(r.id, r.ok) for r in results] == [
        (f"{ok}#0", True),
        (f"{ok}#1", False),
        (f"{ok}#2", True),
        ("x", False),
        ("y", False),
        (str(not_parquet), False),
    ]
    assert results[1].error == f"{ok}#1: column 'card' is missing"
    assert results[3].error == f"{ints}#0: column 'card' is a int, not text"
    assert (results[5].error or "").startswith(f"cannot read {str(not_parquet)!r}: ")


def test_parquet_without_the_text_column_is_refused(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "cards.parquet"
    pq.write_table(pa.table({"text": [PLAIN]}), path)
    with pytest.raises(ValueError, match=r"no column 'card' \(columns: text\)"):
        list(read_inputs([str(path)]))
    assert [r.card for r in parse_many(read_inputs([str(path)], text_column="text"))] == [parse_text(PLAIN)]


def test_stdin_and_custom_columns() -> None:
    stdin = io.StringIO(json.dumps({"name": "n1", "body": PLAIN}) + "\n")
    (item,) = read_inputs(["-"], text_column="body", id_column="name", stdin=stdin)
    assert item == CardInput(id="n1", text=PLAIN, path="<stdin>")


def test_count_inputs(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    _folder(tmp_path / "models")
    parquet = tmp_path / "cards.parquet"
    pq.write_table(pa.table({"card": [PLAIN] * 3}), parquet)
    assert count_inputs([str(tmp_path / "models"), str(parquet), "x.md"]) == 4 + 3 + 1
    assert count_inputs([str(tmp_path / "models"), "cards.jsonl"]) is None
    assert count_inputs(["-"]) is None


# --- parallel -----------------------------------------------------------------------------
def _texts() -> list[tuple[str, str]]:
    return [(f"{card_id}/{i}", text) for i in range(8) for card_id, text in CARDS.items()]


def _style(result: BatchResult) -> tuple[int, str | None, str]:
    return (result.position, result.id, result.card.style if result.card else "error")


def _die_on_broken(result: BatchResult) -> tuple[str | None, str | None]:
    if result.id == "org/broken/3" and result.card is not None:
        os._exit(3)  # a worker killed in the middle of the batch
    return (result.id, result.error)  # (called in the parent for the card that died)


def test_jobs_2_equals_jobs_1() -> None:
    items = _texts()
    serial = list(parse_many(items, jobs=1))
    parallel = list(parse_many(items, jobs=2, chunksize=3))
    assert [(r.position, r.id, r.error) for r in parallel] == [(r.position, r.id, r.error) for r in serial]
    assert [to_json(r.card, with_sources=True) for r in parallel if r.card] == [
        to_json(r.card, with_sources=True) for r in serial if r.card
    ]
    assert list(map_many(_style, items, jobs=2, chunksize=5)) == [_style(r) for r in serial]


def test_a_dead_worker_costs_only_its_chunk() -> None:
    items = _texts()
    out = list(map_many(_die_on_broken, items, jobs=2, chunksize=1))
    assert len(out) == len(items)
    errors = [(card_id, error) for card_id, error in out if error]
    assert errors == [("org/broken/3", "the worker process parsing this card died")]


class _RefusesOneTask(ProcessPoolExecutor):
    """A pool whose 4th submit finds it broken, as when a worker died since the last result."""

    submits = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        type(self).submits += 1
        if type(self).submits == 4:
            raise BrokenProcessPool("a child process terminated abruptly")
        return super().submit(fn, *args, **kwargs)


def test_a_pool_broken_at_submit_loses_no_card(monkeypatch: pytest.MonkeyPatch) -> None:
    # A worker dying between two submits made submit() raise out of the batch (seen in CI).
    monkeypatch.setattr(batch, "ProcessPoolExecutor", _RefusesOneTask)
    items = [item for item in _texts() if item[0] != "org/broken/3"]  # no worker dies
    out = list(map_many(_die_on_broken, items, jobs=2, chunksize=1))
    assert _RefusesOneTask.submits > 4
    assert out == [(r.id, r.error) for r in parse_many(items)]
    assert len(out) == len(items)
    assert all(error is None for _, error in out)


def test_input_is_read_lazily_with_a_bounded_window() -> None:
    consumed = 0

    def items() -> Iterator[str]:
        nonlocal consumed
        for _ in range(1000):
            consumed += 1
            yield PLAIN

    serial = parse_many(items())
    next(serial)
    assert consumed == 1
    consumed = 0
    parallel = parse_many(items(), jobs=2, chunksize=4)
    next(parallel)
    assert consumed <= (2 * 2 + 1) * 4 + 4  # the window of chunks in flight, plus the next one
    parallel.close()  # type: ignore[attr-defined]


def test_chunk_sizes() -> None:
    def first(total: int | None, jobs: int, chunksize: int | None, n: int) -> list[int]:
        return list(itertools.islice(batch._chunk_sizes(total, jobs, chunksize), n))

    # a 1/(4*jobs) share of what remains, at least 4; then 32 past the total
    assert first(100, 2, None, 18) == [13, 11, 10, 9, 8, 7, 6, 5, 4, 4, 4, 4, 4, 4, 4, 4, 32, 32]
    big = list(itertools.takewhile(lambda n: n != 32, batch._chunk_sizes(10_150, 2, None)))
    assert big[:32] == [256] * 32
    assert big[-1] == 4
    assert max(big) == 256
    assert big == sorted(big, reverse=True)
    assert 10_150 <= sum(big) < 10_150 + 4
    assert first(None, 2, None, 3) == first(0, 2, None, 3) == [32, 32, 32]  # total unknown
    assert first(100, 2, 7, 3) == [7, 7, 7]
    assert first(100, 2, 0, 2) == [1, 1]


def _chunks_seen(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    real = batch._chunked

    def spy(works: Iterator[Any], sizes: Iterator[int]) -> Iterator[list[Any]]:
        for chunk in real(works, sizes):
            seen.append(len(chunk))
            yield chunk

    monkeypatch.setattr(batch, "_chunked", spy)
    return seen


def test_chunks_follow_a_known_total(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _chunks_seen(monkeypatch)
    items = [(f"card-{i}", PLAIN if i % 3 else TRAINER) for i in range(100)]
    expected = [_style(r) for r in parse_many(items)]
    guided = [13, 11, 10, 9, 8, 7, 6, 5, 4, 4, 4, 4, 4, 4, 4, 3]  # 100 cards, 2 workers
    assert list(map_many(_style, items, jobs=2)) == expected  # len() of a list
    assert seen == guided
    seen.clear()
    assert list(map_many(_style, iter(items), jobs=2, total=100)) == expected
    assert seen == guided
    seen.clear()
    assert list(map_many(_style, iter(items), jobs=2)) == expected  # total unknown
    assert seen == [32, 32, 32, 4]
    seen.clear()
    assert list(map_many(_style, iter(items), jobs=2, total=10)) == expected  # a low count
    assert seen == [4, 4, 4, 32, 32, 24]
    seen.clear()
    assert list(map_many(_style, items, jobs=2, chunksize=50)) == expected
    assert seen == [50, 50]


@pytest.mark.skipif(batch._threads() is None, reason="counts threads through /proc")
def test_a_batch_leaves_no_thread_behind() -> None:
    # A pool's threads outlive their join by about a millisecond.  A batch started in that
    # moment saw two threads and used forkserver, not fork: in a script without a __main__
    # guard it died with BrokenProcessPool.  Without the wait, one batch in 5 to 10 here
    # left a thread behind.
    before = batch._threads()
    assert before is not None
    for _ in range(15):
        assert list(map_many(_style, [PLAIN] * 20, jobs=2)) == [(i, None, "other") for i in range(20)]
        after = batch._threads()
        assert after is not None
        assert after <= before


@pytest.mark.skipif(batch._threads() is None, reason="counts threads through /proc")
def test_wait_threads_gone() -> None:
    before = batch._threads()
    assert before is not None
    worker = threading.Thread(target=time.sleep, args=(0.05,))
    worker.start()
    batch._wait_threads_gone(before)
    assert batch._threads() == before
    assert not worker.is_alive()
    start = time.monotonic()
    batch._wait_threads_gone(before - 1, timeout=0.05)  # a thread that never goes: gives up
    assert 0.05 <= time.monotonic() - start < 1


# --- modelcard batch ----------------------------------------------------------------------
def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cli_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _folder(tmp_path / "models")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(tmp_path / "models"), "-o", str(out)]) == 0
    records = _records(out)
    assert records == [
        {"id": str(f), "path": str(f), "error": None, "card": parse(f).model_dump(mode="json")} for f in files
    ]
    err = capsys.readouterr().err
    assert err.startswith("modelcard batch: 4 cards, 0 errors, styles: other 2, keras 1, trainer 1; ")
    assert err.endswith(" cards/s)\n")


def test_cli_jobs_2_writes_the_same_bytes(tmp_path: Path) -> None:
    jsonl = _jsonl(tmp_path / "in.jsonl", [{"modelId": card_id, "card": text} for card_id, text in _texts()])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["batch", str(jsonl), "-o", str(one), "-q"]) == 0
    assert main(["batch", str(jsonl), "-o", str(two), "-q", "-j", "2", "--chunksize", "3"]) == 0
    assert one.read_bytes() == two.read_bytes()
    assert len(_records(one)) == 32


def test_cli_jobs_2_with_chunks_sized_to_the_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _chunks_seen(monkeypatch)
    files = _folder(tmp_path / "models")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["batch", str(tmp_path / "models"), "-o", str(one), "-q"]) == 0
    assert main(["batch", str(tmp_path / "models"), str(files[0]), "-o", str(two), "-q", "-j", "2"]) == 0
    assert seen == [4, 1]  # 5 cards counted: a 4-card chunk, then what is left
    assert two.read_bytes() == one.read_bytes() + one.read_bytes().splitlines(keepends=True)[0]


def test_cli_error_rows_and_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({"modelId": "a", "card": PLAIN}) + "\nnope\n", encoding="utf-8")
    missing = tmp_path / "missing.md"
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(jsonl), str(missing), "-o", str(out)]) == 1
    records = _records(out)
    assert [(r["id"], r["error"], r["card"] is None) for r in records] == [
        ("a", None, False),
        (f"{jsonl}:2", "line 2: not JSON (Expecting value: line 1 column 1 (char 0))", True),
        (str(missing), f"cannot read {str(missing)!r}: No such file or directory", True),
    ]
    assert "3 cards, 2 errors, styles: other 1;" in capsys.readouterr().err


def test_cli_parquet_and_history(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from modelcard_parser.frames import card_schema, history_schema

    jsonl = _jsonl(tmp_path / "in.jsonl", [{"modelId": k, "card": v} for k, v in CARDS.items()])
    out, hist = tmp_path / "cards.parquet", tmp_path / "history.parquet"
    assert main(["batch", str(jsonl), "-o", str(out), "--history", str(hist), "-q"]) == 0
    cards = pq.read_table(out)
    assert cards.schema == card_schema()
    assert cards.column("id").to_pylist() == list(CARDS)
    assert cards.column("style").to_pylist() == ["trainer", "keras", "other", "other"]
    assert cards.column("learning_rate").to_pylist() == [2e-05, 3e-05, None, None]
    history = pq.read_table(hist)
    assert history.schema == history_schema()
    assert history.column("id").to_pylist() == ["org/trainer"] * 2 + ["org/keras"] * 2
    assert history.column("epoch").to_pylist() == [1.0, 2.0, 1.0, 2.0]
    assert history.column("metrics").to_pylist() == [[("accuracy", 0.921)], [("accuracy", 0.931)], [], []]


def test_cli_history_as_jsonl(tmp_path: Path) -> None:
    jsonl = _jsonl(tmp_path / "in.jsonl", [{"modelId": "t", "card": TRAINER}])
    out, hist = tmp_path / "out.jsonl", tmp_path / "history.jsonl"
    assert main(["batch", str(jsonl), "-o", str(out), "--history", str(hist), "-q"]) == 0
    assert _records(hist) == [
        {
            "id": "t",
            "path": str(jsonl),
            "row": 0,
            "dataset": None,
            "epoch": 1.0,
            "step": 500,
            "training_loss": 0.3012,
            "validation_loss": 0.265,
            "metrics": {"accuracy": 0.921},
        },
        {
            "id": "t",
            "path": str(jsonl),
            "row": 1,
            "dataset": None,
            "epoch": 2.0,
            "step": 1000,
            "training_loss": 0.1804,
            "validation_loss": 0.2471,
            "metrics": {"accuracy": 0.931},
        },
    ]


def test_cli_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"modelId": "s", "card": PLAIN}) + "\n"))
    assert main(["batch", "-", "-o", "-", "-q"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {
        "id": "s",
        "path": "<stdin>",
        "error": None,
        "card": parse_text(PLAIN).model_dump(mode="json"),
    }
    assert captured.err == ""


def test_cli_progress_only_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _folder(tmp_path / "models")
    monkeypatch.setattr("modelcard_parser.cli.cmd_batch._PROGRESS_EVERY", 0.0)
    assert main(["batch", str(tmp_path / "models"), "-o", str(tmp_path / "a.jsonl")]) == 0
    assert "\r" not in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["batch", str(tmp_path / "models"), "-o", str(tmp_path / "b.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "\r1/4 cards  " in err
    assert " cards/s  ETA 0:00:00" in err
    assert "\r\x1b[Kmodelcard batch: 4 cards, 0 errors" in err  # the progress line is cleared first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "out.csv"], "cannot tell the output type of 'out.csv': use .jsonl or .parquet"),
        (["-o", "out.jsonl", "--history", "h.txt"], "cannot tell the history output type of 'h.txt'"),
        (["-o", "out.jsonl", "--history", "-"], "cannot tell the history output type of '-'"),
    ],
)
def test_cli_usage_errors(
    tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", str(tmp_path / "x.md"), *args]) == 2
    assert message in capsys.readouterr().err


def test_cli_missing_text_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "cards.parquet"
    pq.write_table(pa.table({"text": [PLAIN]}), path)
    assert main(["batch", str(path), "-o", str(tmp_path / "out.jsonl")]) == 2
    assert f"{path}: no column 'card' (columns: text); see --text-column" in capsys.readouterr().err
    assert main(["batch", str(path), "-o", str(tmp_path / "out.jsonl"), "--text-column", "text", "-q"]) == 0
