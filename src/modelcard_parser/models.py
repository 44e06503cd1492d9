"""The validated layer: pydantic v2 models of a normalised card.

``ModelCard.model_dump(mode="json")`` is the public JSON contract (``schema_version``
1).  Fields marked *Python only* (``Field(exclude=True)``) keep where each value came
from: they are left out of the default JSON and included by
:func:`modelcard_parser.to_json` with ``with_sources=True`` (``--json --with-sources``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .diagnostics import Diagnostic, Severity

__all__ = [
    "BodyFacts",
    "EpochResult",
    "EvalMetrics",
    "Hyperparameters",
    "LRScheduler",
    "MetricValue",
    "ModelCard",
    "Optimizer",
    "Style",
]

Style = Literal["trainer", "keras", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Optimizer(_Model):
    """The optimizer, from a Trainer phrase or a Keras ``get_config()`` dict."""

    name: str
    """Lowercase, without enum prefix or "Use ": ``adam``, ``adamw_torch``, ``adamweightdecay``."""
    betas: tuple[float, float] | None = None
    epsilon: float | None = None
    weight_decay: float | None = None
    """Keras ``weight_decay_rate`` / ``weight_decay``; Trainer cards never state it."""
    args: dict[str, Any] = Field(default_factory=dict)
    """Every other argument (Trainer ``optimizer_args``, the rest of a Keras dict)."""


class LRScheduler(_Model):
    """The learning-rate schedule."""

    type: str | None = None
    """snake_case: ``linear``, ``cosine``, ``polynomial_decay`` (Keras class names converted)."""
    warmup_ratio: float | None = None
    warmup_steps: int | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    """A Keras schedule's config (``decay_steps``, ``end_learning_rate``, ...)."""


class Hyperparameters(_Model):
    """The "Training hyperparameters" of a card, typed; absent facts are null."""

    learning_rate: float | None = None
    """Keras: the schedule's initial learning rate."""
    train_batch_size: int | None = None
    eval_batch_size: int | None = None
    seed: int | None = None
    gradient_accumulation_steps: int | None = None
    total_train_batch_size: int | None = None
    total_eval_batch_size: int | None = None
    num_devices: int | None = None
    distributed_type: str | None = None
    optimizer: Optimizer | None = None
    lr_scheduler: LRScheduler | None = None
    num_epochs: float | None = None
    training_steps: int | None = None
    mixed_precision: str | None = None
    """As written (``Native AMP``, ``Apex, opt level O1``); Keras: ``mixed_float16``/``mixed_bfloat16``."""
    precision: str | None = None
    """One schema for both dialects: ``fp16`` (Native AMP, Apex; Keras ``mixed_float16``),
    ``bf16`` (Keras ``mixed_bfloat16``), ``fp32`` (Keras ``float32``); null when the card
    states none (Trainer cards never state bf16 or fp32)."""
    label_smoothing_factor: float | None = None
    extra: dict[str, str] = Field(default_factory=dict)
    """Every hyperparameter line not mapped above, key and value as written."""
    raw: dict[str, str] = Field(default_factory=dict, exclude=True)
    """Python only: every line as written, keyed by the key as written."""
    lines: dict[str, int] = Field(default_factory=dict, exclude=True)
    """Python only: file line of each field (canonical name, or extra key as written)."""

    def is_empty(self) -> bool:
        """True when the card stated no hyperparameter at all."""
        return not self.raw


class EpochResult(_Model):
    """One row of a training-results table."""

    dataset: str | None = None
    """The table's caption when a card has one table per dataset ("On wikiann:")."""
    epoch: float | None = None
    """Completed epochs: Keras's 0-based epoch N becomes N + 1."""
    step: int | None = None
    training_loss: float | None = None
    """``No log`` is null."""
    validation_loss: float | None = None
    metrics: dict[str, float | None] = Field(default_factory=dict)
    """Every other column, by canonical name."""
    extra: dict[str, str] = Field(default_factory=dict)
    """Cells that are not numbers (a classification-report blob), as written."""
    source_line: int | None = Field(default=None, exclude=True)
    """Python only: the row's file line."""
    raw: dict[str, str] = Field(default_factory=dict, exclude=True)
    """Python only: column title as written -> cell as written."""


class MetricValue(_Model):
    """One metric as the card states it, with its name and type as written."""

    key: str
    """The canonical key used in ``EvalMetrics.metrics``."""
    name: str | None = None
    type: str | None = None
    value: float | None = None
    text: str | None = None
    """The value as written when it is not a number."""
    config: str | None = None
    args: Any = None
    verified: bool | None = None
    line: int | None = None
    raw: str | None = Field(default=None, exclude=True)
    """Python only: an evaluation bullet's value as written (its decimals give the rounding)."""


class EvalMetrics(_Model):
    """Final evaluation results: one model-index result, or one evaluation bullet list."""

    source: Literal["model-index", "text"]
    model_name: str | None = None
    """The model-index entry's ``name`` (several entries stay separate)."""
    task: str | None = None
    """Task type (``token-classification``); for text results null."""
    task_name: str | None = None
    dataset: str | None = None
    dataset_type: str | None = None
    dataset_config: str | None = None
    split: str | None = None
    dataset_revision: str | None = None
    dataset_args: Any = None
    metrics: dict[str, float] = Field(default_factory=dict)
    """Canonical metric name -> value."""
    extra: dict[str, str] = Field(default_factory=dict)
    """Values that are not numbers, as written."""
    details: list[MetricValue] = Field(default_factory=list, exclude=True)
    """Python only: names, types, configs and lines of every metric."""
    source_line: int | None = Field(default=None, exclude=True)
    """Python only: line of the result (model-index) or of the introducing sentence."""
    lines: dict[str, int] = Field(default_factory=dict, exclude=True)
    """Python only: file line of each model-index dataset field (``name``, ``split``, ...)."""


class BodyFacts(_Model):
    """Python only: what the body says about identity, for cross-checks with the front matter."""

    base_model: str | None = None
    """The model id of the fine-tuned-from link."""
    base_model_line: int | None = None
    datasets: list[str] = Field(default_factory=list)
    """Datasets named by the intro sentence ("on the conll2003 dataset")."""
    datasets_line: int | None = None
    trained_from_scratch: bool = False
    """The generator's "trained from scratch" wording (not proof of anything)."""
    placeholders: list[int] = Field(default_factory=list)
    """Lines of "More information needed" placeholders."""
    markers: list[str] = Field(default_factory=list)
    """Generator markers found (``trainer_comment``, ``keras_comment``, ``hp_sentence``, ...)."""
    has_front_matter: bool = False


class ModelCard(_Model):
    """A parsed, normalised model card.  ``model_dump(mode="json")`` is the contract."""

    schema_version: Literal[1] = 1
    style: Style = "other"
    model_name: str | None = None
    """model-index name, else the front matter's ``model_name``, else the H1 title."""
    base_model: str | None = None
    """YAML ``base_model`` (the first, when a list), else the body's fine-tuned-from link."""
    base_models: list[str] = Field(default_factory=list)
    """Every base model the front matter lists (``base_model`` may be a list)."""
    license: str | None = None
    language: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    datasets: list[str] = Field(default_factory=list)
    metrics: list[str] = Field(default_factory=list)
    """The front matter's ``metrics`` tags."""
    library_name: str | None = None
    pipeline_tag: str | None = None
    hyperparameters: Hyperparameters = Field(default_factory=Hyperparameters)
    training_results: list[EpochResult] = Field(default_factory=list)
    eval_results: list[EvalMetrics] = Field(default_factory=list)
    framework_versions: dict[str, str] = Field(default_factory=dict)
    """Lowercase keys: ``transformers``, ``pytorch``, ``tensorflow``, ``peft``, ``trl``, ..."""
    extra: dict[str, Any] = Field(default_factory=dict)
    """Every other front-matter key (``widget``, ``co2_eq_emissions``, ...), as loaded."""
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    path: str | None = Field(default=None, exclude=True)
    """Python only: the file the card was read from."""
    body: BodyFacts = Field(default_factory=BodyFacts, exclude=True)
    """Python only: body statements used by the checks."""
    sources: dict[str, int] = Field(default_factory=dict, exclude=True)
    """Python only: file line of each front-matter key and body fact (``base_model``, ...)."""

    @property
    def errors(self) -> list[Diagnostic]:
        """The error-severity diagnostics."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def training_datasets(self) -> list[str | None]:
        """The distinct ``dataset`` captions of the training-results rows, in order."""
        seen: list[str | None] = []
        for row in self.training_results:
            if row.dataset not in seen:
                seen.append(row.dataset)
        return seen
