"""huggingface_hub interop (extra [hub]), without network.

``from_hub`` is tested against a local Hub cache this test builds in ``tmp_path``
(``models--owner--name/refs/<ref>`` holding a commit hash, and
``snapshots/<commit>/README.md``), with ``local_files_only=True`` or offline mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from modelcard_parser import ModelCard, parse, parse_text
from modelcard_parser.hub import from_hub, to_eval_results
from modelcard_parser.models import EvalMetrics, MetricValue
from tests.conftest import EXAMPLES, seed_path

hub = pytest.importorskip("huggingface_hub")  # modelcard_parser.hub imports it when called

EXAMPLE = EXAMPLES / "distilbert-finetuned-imdb.md"
MAIN = "0123456789abcdef0123456789abcdef01234567"
TAGGED = "89abcdef0123456789abcdef0123456789abcdef"


def _hub_read(path: Path) -> list[object]:
    """huggingface_hub's own reading of the card's model-index."""
    from huggingface_hub.repocard_data import model_index_to_eval_results

    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    _, results = model_index_to_eval_results(meta["model-index"])
    return list(results)


# --- to_eval_results ------------------------------------------------------------------------
def test_eval_results_of_the_example() -> None:
    results = to_eval_results(parse(EXAMPLE))
    assert results == [
        hub.EvalResult(
            task_type="text-classification",
            task_name="Text Classification",
            dataset_type="imdb",
            dataset_name="imdb",
            dataset_config="plain_text",
            dataset_split="test",
            dataset_args="plain_text",
            metric_type="accuracy",
            metric_name="Accuracy",
            metric_value=0.93124,
        ),
        hub.EvalResult(
            task_type="text-classification",
            task_name="Text Classification",
            dataset_type="imdb",
            dataset_name="imdb",
            dataset_config="plain_text",
            dataset_split="test",
            dataset_args="plain_text",
            metric_type="f1",
            metric_name="F1",
            metric_value=0.9318755512163852,
        ),
    ]
    assert results == _hub_read(EXAMPLE)


@pytest.mark.parametrize("seed", ["001", "003", "004"])
def test_eval_results_match_huggingface_hub(seed: str) -> None:
    path = seed_path(seed)
    assert to_eval_results(parse(path)) == _hub_read(path)


def test_eval_results_feed_model_card_data() -> None:
    data = hub.ModelCardData(
        model_name="distilbert-finetuned-imdb", eval_results=to_eval_results(parse(EXAMPLE))
    )
    index = data.to_dict()["model-index"]
    assert index[0]["results"][0]["metrics"] == [
        {"type": "accuracy", "value": 0.93124, "name": "Accuracy"},
        {"type": "f1", "value": 0.9318755512163852, "name": "F1"},
    ]


def test_text_results_and_incomplete_results_are_left_out() -> None:
    card = ModelCard(
        eval_results=[
            EvalMetrics(source="text", metrics={"validation_loss": 0.3}),
            EvalMetrics(source="model-index", task="fill-mask", metrics={"perplexity": 3.2}),  # no dataset
            EvalMetrics(source="model-index", dataset="wikitext", metrics={"perplexity": 3.2}),  # no task
        ]
    )
    assert to_eval_results(card) == []


def test_card_without_details_and_text_values() -> None:
    """Rebuilt from JSON: the canonical key is the metric type; a text value stays text."""
    card = ModelCard(
        eval_results=[
            EvalMetrics(
                source="model-index",
                task="translation",
                dataset_type="wmt16",
                metrics={"bleu": 27.5},
                extra={"chrf": "n/a"},
                details=[MetricValue(key="bleu", name="BLEU", type="sacrebleu", verified=True)],
            )
        ]
    )
    assert [(r.metric_type, r.metric_name, r.metric_value, r.verified) for r in to_eval_results(card)] == [
        ("sacrebleu", "BLEU", 27.5, True),
        ("chrf", None, "n/a", None),
    ]
    assert {r.dataset_name for r in to_eval_results(card)} == {"wmt16"}


# --- from_hub -------------------------------------------------------------------------------
def _cache(root: Path, text: str, tagged_text: str | None = None) -> Path:
    """A Hub cache holding acme/tiny: main -> MAIN, and tag v1 -> TAGGED."""
    repo = root / "models--acme--tiny"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(MAIN, encoding="utf-8")
    (repo / "snapshots" / MAIN).mkdir(parents=True)
    (repo / "snapshots" / MAIN / "README.md").write_text(text, encoding="utf-8")
    if tagged_text is not None:
        (repo / "refs" / "v1").write_text(TAGGED, encoding="utf-8")
        (repo / "snapshots" / TAGGED).mkdir(parents=True)
        (repo / "snapshots" / TAGGED / "README.md").write_text(tagged_text, encoding="utf-8")
    return root


def test_from_hub_reads_the_cache(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    cache = _cache(tmp_path / "hub", text, text.replace("learning_rate: 2e-05", "learning_rate: 3e-05"))
    card = from_hub("acme/tiny", cache_dir=cache, local_files_only=True)
    assert card.model_dump(mode="json") == parse_text(text).model_dump(mode="json")
    assert card.path == str(cache / "models--acme--tiny" / "snapshots" / MAIN / "README.md")
    assert (
        from_hub("acme/tiny", "v1", cache_dir=cache, local_files_only=True).hyperparameters.learning_rate
        == 3e-05
    )
    assert (
        from_hub("acme/tiny", MAIN, cache_dir=cache, local_files_only=True).hyperparameters.learning_rate
        == 2e-05
    )


def test_from_hub_offline_default_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No arguments: huggingface_hub's own cache location and offline setting decide."""
    cache = _cache(tmp_path / "hub", EXAMPLE.read_text(encoding="utf-8"))
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hub.constants, "HF_HUB_CACHE", str(cache))  # read at import time
    monkeypatch.setattr(hub.constants, "HF_HUB_OFFLINE", True)
    assert from_hub("acme/tiny").model_name == "distilbert-finetuned-imdb"


def test_from_hub_missing(tmp_path: Path) -> None:
    cache = _cache(tmp_path / "hub", EXAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(FileNotFoundError):  # huggingface_hub's LocalEntryNotFoundError
        from_hub("acme/other", cache_dir=cache, local_files_only=True)
    with pytest.raises(FileNotFoundError):
        from_hub("acme/tiny", "v2", cache_dir=cache, local_files_only=True)


def test_from_hub_strict(tmp_path: Path) -> None:
    from modelcard_parser import CardParseError

    cache = _cache(tmp_path / "hub", "---\nlicense: mit\nbad: : x\n---\n# T\n")
    assert from_hub("acme/tiny", cache_dir=cache, local_files_only=True).license is None
    with pytest.raises(CardParseError):
        from_hub("acme/tiny", cache_dir=cache, local_files_only=True, strict=True)
