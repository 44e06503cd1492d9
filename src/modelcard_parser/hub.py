"""huggingface_hub interop (extra ``[hub]``): evaluation results out, cards in.

* :func:`to_eval_results` gives a card's ``model-index`` results as huggingface_hub
  :class:`~huggingface_hub.EvalResult` objects, ready for ``ModelCardData(eval_results=...)``
  or ``metadata_update``.
* :func:`from_hub` reads a model repo's ``README.md`` through huggingface_hub's own
  download (``hf_hub_download``), so its cache, ``HF_HUB_CACHE``, ``HF_HUB_OFFLINE``,
  tokens and revisions all apply, and parses it.

huggingface_hub is imported only when one of these is called.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .models import EvalMetrics, ModelCard

if TYPE_CHECKING:  # pragma: no cover
    from huggingface_hub import EvalResult

__all__ = ["from_hub", "to_eval_results"]

_MISSING_EXTRA = "huggingface_hub interop needs huggingface_hub: pip install 'modelcard-parser[hub]'"


def _hub() -> Any:
    try:
        import huggingface_hub
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(_MISSING_EXTRA) from exc
    return huggingface_hub


def _results(res: EvalMetrics, hub: Any) -> list[EvalResult]:
    task_type = res.task
    dataset_type = res.dataset_type or res.dataset
    dataset_name = res.dataset or res.dataset_type
    if task_type is None or dataset_type is None or dataset_name is None:
        return []
    out: list[EvalResult] = []
    details = {d.key: d for d in res.details}
    for key, value in [*res.metrics.items(), *res.extra.items()]:
        d = details.get(key)
        out.append(
            hub.EvalResult(
                task_type=task_type,
                task_name=res.task_name,
                dataset_type=dataset_type,
                dataset_name=dataset_name,
                dataset_config=res.dataset_config,
                dataset_split=res.split,
                dataset_revision=res.dataset_revision,
                dataset_args=res.dataset_args,
                metric_type=(d.type if d is not None and d.type else key),
                metric_value=value,
                metric_name=d.name if d is not None else None,
                metric_config=d.config if d is not None else None,
                metric_args=d.args if d is not None else None,
                verified=d.verified if d is not None else None,
            )
        )
    return out


def to_eval_results(card: ModelCard) -> list[EvalResult]:
    """The card's ``model-index`` results as huggingface_hub ``EvalResult`` objects.

    One object per metric, as huggingface_hub itself reads a model-index.  Metric type,
    name, config, args and ``verified`` are the card's own when it was parsed from text
    (a card rebuilt from JSON has no such details: the type is then the canonical key).
    huggingface_hub needs a task type and a dataset, so a result lacking them (and the
    free-text "It achieves ..." lists, which state neither) is left out.
    """
    hub = _hub()
    out: list[EvalResult] = []
    for res in card.eval_results:
        if res.source == "model-index":
            out.extend(_results(res, hub))
    return out


def from_hub(
    repo_id: str,
    revision: str | None = None,
    *,
    local_files_only: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    token: str | bool | None = None,
    strict: bool = False,
) -> ModelCard:
    """Download (or take from the cache) a model repo's README.md and parse it.

    ``revision`` is a branch, tag or commit (default ``main``).  With
    ``local_files_only=True`` (or ``HF_HUB_OFFLINE=1``) only the local cache is read.
    huggingface_hub's errors propagate (``RepositoryNotFoundError``,
    ``EntryNotFoundError``, ``LocalEntryNotFoundError``, ...).  ``card.path`` is the
    cached file.
    """
    hub = _hub()
    from ._api import parse

    path = hub.hf_hub_download(
        repo_id,
        "README.md",
        repo_type="model",
        revision=revision,
        cache_dir=cache_dir,
        local_files_only=local_files_only,
        token=token,
    )
    return parse(os.fspath(path), strict=strict)
