"""Write a normalised card back as a Trainer-style ``README.md``.

:func:`render` lays a :class:`~modelcard_parser.models.ModelCard` out exactly the way
``transformers`` writes a Trainer card (FORMATS.md section 1): YAML front matter with
``model-index``, the Trainer HTML comment, the H1 title, the intro sentence and the
final evaluation bullets, the three "More information needed" sections, the
hyperparameter bullets, the training-results table and the framework versions.  An old
Keras card comes out in today's Trainer layout.

The contract is the round trip: ``parse_text(render(card))`` gives the same normalised
values as ``card``, with these deliberate exceptions (see :func:`trainer_view`, which
applies them, so ``trainer_view(card)`` is what the round trip must reproduce):

* ``style`` becomes ``trainer``, and a ``generated_from_keras_callback`` tag becomes
  ``generated_from_trainer`` (in place; dropped when that tag is already there).
* Keras optimizers: ``weight_decay`` (Keras ``weight_decay_rate``) has no Trainer field,
  so it is written into ``optimizer_args`` and reads back as
  ``optimizer.args["weight_decay"]``.
* Keras schedules: the schedule's config (``lr_scheduler.args``: ``decay_steps``,
  ``end_learning_rate``, ...) has no Trainer bullet and is not written; the schedule
  type and warmup steps are.
* Precision: a Trainer card states it only as ``mixed_precision_training`` (fp16; bf16 and
  fp32 are never reported), so ``precision`` without ``mixed_precision`` (Keras
  ``training_precision: float32``, i.e. ``fp32``) is not written.
* ``extra["_front_matter"]`` (a front matter that was not a mapping) is not written.
* Python-only fields (lines, values as written, body facts, diagnostics) are not part
  of the contract: they describe the new file.

Layout choices where a normalised card holds more than transformers ever writes:

* Values are written at full precision (``str(float)``), not rounded with
  transformers' ``_maybe_round``: the normalised values already are what the card
  showed, and rounding again would lose what a card wrote with more than four decimals.
* The table has the Trainer's first columns (``Training Loss | Epoch | Step |
  Validation Loss``; ``Step`` only when some row has one), then the metric columns in
  the source table's order.  A card with one results table per dataset (a
  multi-dataset Keras card) gets one table per dataset, each after an ``On <dataset>:``
  caption, as such cards write it.
* Several evaluation lists (one per dataset) each get their own "It achieves the
  following results on the <dataset> evaluation set:" sentence.
* A model-index metric keeps the name, type, config and args it was read with (the
  Python-only ``details``); without them (a card rebuilt from JSON) the name is the
  title-cased key and the type the key.
* Front-matter keys transformers never writes (``pipeline_tag``, ``widget``, ...) come
  after ``metrics`` and before ``model-index``; a value the parser could not type
  (kept in ``extra``) is written back as it was loaded.
* A cell or bullet value with newlines (a classification report) is written as
  transformers writes it; one without blank lines gets the list item's indentation.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import Any

import yaml

from ._names import canonical
from .models import EpochResult, EvalMetrics, Hyperparameters, ModelCard, Optimizer

__all__ = ["STYLES", "render", "trainer_view"]

STYLES = ("trainer",)
"""The layouts :func:`render` can write."""

TRAINER_TAG = "generated_from_trainer"
KERAS_TAG = "generated_from_keras_callback"

TRAINER_COMMENT = (
    "<!-- This model card has been generated automatically according to the information the Trainer "
    "had access to. You\nshould probably proofread and complete it, then remove this comment. -->"
)
PLACEHOLDER = "More information needed"

# Framework keys (canonical) -> the name transformers writes; PEFT comes first (FORMATS.md 1.8, 3).
_FRAMEWORK_NAMES = {
    "peft": "PEFT",
    "transformers": "Transformers",
    "pytorch": "Pytorch",
    "tensorflow": "TensorFlow",
    "datasets": "Datasets",
    "tokenizers": "Tokenizers",
}
# Front-matter keys in transformers' order (FORMATS.md 1.7); every other key goes before model-index.
_KEY_ORDER = ("library_name", "language", "license", "base_model", "tags", "datasets", "metrics")
_MODEL_INDEX_KEYS = ("model-index", "model_index")
_URL_SAFE = re.compile(r"[^\s()\[\]]+")


class _Dumper(yaml.SafeDumper):
    """``yaml.dump`` output without anchors: a shared object is written out twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _title(key: str) -> str:
    """transformers' title-casing of a metric key: ``overall_f1`` -> ``Overall F1``."""
    return " ".join(part.capitalize() for part in key.split("_"))


def _num(value: float | int | None, null: str = "-") -> str:
    if value is None:
        return null
    return str(value)


# --- front matter -------------------------------------------------------------------
def _tags(tags: Any) -> Any:
    if not isinstance(tags, list):
        return tags
    out: list[Any] = []
    for tag in tags:
        new = TRAINER_TAG if tag == KERAS_TAG else tag
        if new != TRAINER_TAG or TRAINER_TAG not in out:
            out.append(new)
    return out


def _metric_entries(res: EvalMetrics) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    done: set[str] = set()
    for d in res.details:
        if d.key in done:
            continue
        done.add(d.key)
        value: Any = res.metrics.get(d.key, res.extra.get(d.key))
        entry: dict[str, Any] = {}
        if d.name is not None:
            entry["name"] = d.name
        if d.type is not None:
            entry["type"] = d.type
        entry["value"] = value
        if d.config is not None:
            entry["config"] = d.config
        if d.args is not None:
            entry["args"] = d.args
        if d.verified is not None:
            entry["verified"] = d.verified
        entries.append(entry)
    for key, value in [*res.metrics.items(), *res.extra.items()]:
        if key not in done:
            done.add(key)
            entries.append({"name": _title(key), "type": key, "value": value})
    return entries


def _result(res: EvalMetrics) -> dict[str, Any]:
    out: dict[str, Any] = {}
    task = {k: v for k, v in (("name", res.task_name), ("type", res.task)) if v is not None}
    if task:
        out["task"] = task
    dataset = {
        k: v
        for k, v in (
            ("name", res.dataset),
            ("type", res.dataset_type),
            ("config", res.dataset_config),
            ("split", res.split),
            ("revision", res.dataset_revision),
            ("args", res.dataset_args),
        )
        if v is not None
    }
    if dataset:
        out["dataset"] = dataset
    out["metrics"] = _metric_entries(res)
    return out


def _model_index(card: ModelCard) -> list[dict[str, Any]] | None:
    groups: list[tuple[str | None, list[dict[str, Any]]]] = []
    for res in card.eval_results:
        if res.source != "model-index":
            continue
        if not groups or groups[-1][0] != res.model_name:
            groups.append((res.model_name, []))
        groups[-1][1].append(_result(res))
    entries: list[dict[str, Any]] = []
    if card.model_name is not None and (not groups or groups[0][0] != card.model_name):
        entries.append({"name": card.model_name, "results": []})
    entries.extend({"name": name, "results": results} for name, results in groups)
    return entries or None


def _front_matter(card: ModelCard) -> dict[str, Any]:
    typed: dict[str, Any] = {
        "library_name": card.library_name,
        "language": card.language or None,
        "license": card.license,
        "base_model": (card.base_models[0] if len(card.base_models) == 1 else card.base_models) or None,
        "tags": _tags(card.tags) or None,
        "datasets": card.datasets or None,
        "metrics": card.metrics or None,
        "pipeline_tag": card.pipeline_tag,
    }
    data: dict[str, Any] = {}
    for key in (*_KEY_ORDER, "pipeline_tag"):
        # A value the parser could not type is kept in ``extra``: write it as it was.
        value = _tags(card.extra[key]) if key in card.extra else typed[key]
        if value is not None:
            data[key] = value
    for key, value in card.extra.items():
        if key not in data and key != "_front_matter" and key not in _MODEL_INDEX_KEYS:
            data[key] = value
    for key in _MODEL_INDEX_KEYS:
        if key in card.extra:
            data[key] = card.extra[key]
            break
    else:
        index = _model_index(card)
        if index is not None:
            data["model-index"] = index
    return data


# --- body -----------------------------------------------------------------------------
def _link(model_id: str) -> str:
    if _URL_SAFE.fullmatch(model_id):
        return f"[{model_id}](https://huggingface.co/{model_id})"
    return f"[{model_id}]()"


def _dataset_phrase(names: list[str]) -> str:
    if not names:
        return "an unknown dataset."
    the = [f"the {n}" for n in names]
    if len(the) == 1:
        return f"{the[0]} dataset."
    return f"{', '.join(the[:-1])} and {the[-1]} datasets."


def _indented(text: str) -> str:
    """A bullet value with newlines, laid out so that it reads back as itself.

    Lines that go straight on are the item's paragraph: the parser takes the item's two
    columns of indentation off them, so they get two.  A value with blank lines (a
    classification report) is read as written, so it is written as transformers writes
    it: as is.
    """
    first, *rest = text.split("\n")
    if not rest or any(not line.strip() for line in rest):
        return text
    return "\n".join([first, *(f"  {line}" for line in rest)])


def _eval_title(key: str) -> str:
    if key == "validation_loss":
        return "Loss"
    if key == "training_loss":
        return "Training Loss"
    return _title(key)


def _eval_bullets(res: EvalMetrics) -> list[str]:
    keys: list[str] = []
    for key in [*(d.key for d in res.details), *res.metrics, *res.extra]:
        if key not in keys:
            keys.append(key)
    lines = []
    for key in keys:
        if key in res.metrics:
            text = _num(res.metrics[key])
        elif key in res.extra:
            text = res.extra[key]
        else:
            text = "-"  # stated without a value ("No log"): kept as a null
        lines.append(f"- {_eval_title(key)}: {_indented(text)}")
    return lines


def _intro(card: ModelCard) -> list[str]:
    names = card.body.datasets or card.datasets
    if card.base_model is not None:
        head = f"This model is a fine-tuned version of {_link(card.base_model)} on "
    else:
        head = "This model was trained from scratch on "
    lines = [head + _dataset_phrase(names)]
    first = True
    for res in card.eval_results:
        if res.source != "text":
            continue
        if not first:
            lines.append("")
        first = False
        where = "the evaluation set" if res.dataset is None else f"the {res.dataset} evaluation set"
        lines.append(f"It achieves the following results on {where}:")
        lines.extend(_eval_bullets(res))
    return lines


def _args_text(args: dict[str, Any]) -> str:
    """``optimizer_args=`` text that the parser's ``_split_args`` reads back to ``args``."""
    if not args:
        return "No additional optimizer arguments"
    parts = []
    for key, value in args.items():
        if value is None:
            parts.append(key)
        elif isinstance(value, str) and not _needs_quotes(value):
            parts.append(f"{key}={value}")
        else:
            parts.append(f"{key}={value!r}")
    return ",".join(parts)


def _needs_quotes(text: str) -> bool:
    """True when a string argument would not read back as itself unquoted."""
    if text != text.strip() or not text or any(c in text for c in ",()[]{}'\"\\"):
        return True
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def _optimizer(opt: Optimizer) -> str:
    args = dict(opt.args)
    text = args.get("text")
    if set(args) == {"text"} and isinstance(text, str):
        return text  # a phrase the parser did not understand: written back as it was
    if opt.weight_decay is not None:
        args["weight_decay"] = opt.weight_decay
    if opt.betas is None and opt.epsilon is None:
        return f"Use {opt.name} and the args are:\n{_args_text(args)}"
    b1, b2 = opt.betas if opt.betas is not None else (None, None)
    return (
        f"Use {opt.name} with betas=({b1},{b2}) and epsilon={opt.epsilon} "
        f"and optimizer_args={_args_text(args)}"
    )


def _hyperparameters(hp: Hyperparameters) -> list[str]:
    sched = hp.lr_scheduler
    rows: list[tuple[str, Any]] = [
        ("learning_rate", hp.learning_rate),
        ("train_batch_size", hp.train_batch_size),
        ("eval_batch_size", hp.eval_batch_size),
        ("seed", hp.seed),
        ("distributed_type", hp.distributed_type),
        ("num_devices", hp.num_devices),
        ("gradient_accumulation_steps", hp.gradient_accumulation_steps),
        ("total_train_batch_size", hp.total_train_batch_size),
        ("total_eval_batch_size", hp.total_eval_batch_size),
        ("optimizer", _optimizer(hp.optimizer) if hp.optimizer is not None else None),
        ("lr_scheduler_type", sched.type if sched is not None else None),
        ("lr_scheduler_warmup_ratio", sched.warmup_ratio if sched is not None else None),
        ("lr_scheduler_warmup_steps", sched.warmup_steps if sched is not None else None),
        ("training_steps", hp.training_steps),
        ("num_epochs", hp.num_epochs),
        ("mixed_precision_training", hp.mixed_precision),
        ("label_smoothing_factor", hp.label_smoothing_factor),
    ]
    lines = [f"- {key}: {value}" for key, value in rows if value is not None]
    if sched is not None and sched.type is None and sched.warmup_ratio is None and sched.warmup_steps is None:
        lines.append("- lr_scheduler_type:")  # a schedule line without a value
    lines.extend(f"- {key}: {_indented(value)}" for key, value in hp.extra.items())
    return lines


def _columns(rows: list[EpochResult]) -> list[tuple[str, str]]:
    """The metric and text columns: (title, canonical name), in the source table's order.

    A number and a text in one column (``extra`` is keyed by the title as written) are
    one column; its title is the written one, so both read back the same.  The source
    order matters beyond looks: a cell with newlines (a classification report) can only
    be read back when it is not the last one (FORMATS.md 1.6).
    """
    titles: dict[str, str] = {}
    for r in rows:
        for key in r.metrics:
            titles.setdefault(key, _title(key))
        for title in r.extra:
            titles[canonical(title)] = title
    order: list[str] = []
    for r in rows:
        order.extend(canonical(t) for t in r.raw if canonical(t) not in order)

    def position(key: str) -> int:
        for i, name in enumerate(order):
            if key == name or key.startswith(name + "_"):  # "loc_f1" from a dict cell in "Loc"
                return i
        return len(order)

    keys = sorted(titles, key=position)  # stable: unknown ones keep their order, at the end
    return [(titles[k], k) for k in keys]


def _table(rows: list[EpochResult]) -> list[str]:
    """One results table, laid out by ``make_markdown_table`` (centred, padded columns)."""
    with_step = any(r.step is not None for r in rows)
    titles = ["Training Loss", "Epoch", *(["Step"] if with_step else []), "Validation Loss"]
    columns = _columns(rows)
    header = titles + [t for t, _ in columns]
    body: list[list[str]] = []
    for r in rows:
        cells = [_num(r.training_loss, "No log"), _num(r.epoch)]
        if with_step:
            cells.append(_num(r.step))
        cells.append(_num(r.validation_loss))
        texts = {canonical(t): v for t, v in r.extra.items()}
        for _, key in columns:
            if key in r.metrics:
                cells.append(_num(r.metrics[key]))
            elif key in texts:
                cells.append(texts[key])  # as transformers writes it: newlines and all
            else:
                cells.append("-")
        body.append(cells)
    widths = [max(len(h), *(len(c[i]) for c in body)) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "".join(f"| {c}" + " " * (w - len(c) + 1) for c, w in zip(cells, widths, strict=True)) + "|"

    return [line(header), "".join(f"|:{'-' * w}:" for w in widths) + "|", *(line(c) for c in body)]


def _tables(card: ModelCard) -> list[str]:
    """The results tables: one, or one per dataset (and per column set) with captions."""
    groups: list[list[EpochResult]] = []
    for row in card.training_results:
        last = groups[-1][-1] if groups else None
        same = (
            last is not None
            and last.dataset == row.dataset
            and list(last.metrics) == list(row.metrics)
            and list(last.extra) == list(row.extra)
            and (last.step is None) == (row.step is None)
        )
        if same:
            groups[-1].append(row)
        else:
            groups.append([row])
    if len(groups) > 1:  # merge runs that only differ in which cells were text or missing
        merged: list[list[EpochResult]] = [groups[0]]
        for group in groups[1:]:
            if group[0].dataset == merged[-1][0].dataset:
                merged[-1].extend(group)
            else:
                merged.append(group)
        groups = merged
    lines: list[str] = []
    for group in groups:
        dataset = group[0].dataset
        if len(groups) > 1 and dataset is not None:
            caption = f"the {dataset}" if dataset.lower().startswith("the ") else dataset
            lines.extend([f"On {caption}:", ""])
        lines.extend(_table(group))
        lines.extend(["", ""])
    return lines


def _frameworks(versions: dict[str, str]) -> list[str]:
    keys = [k for k in _FRAMEWORK_NAMES if k in versions] + [k for k in versions if k not in _FRAMEWORK_NAMES]
    return [f"- {_FRAMEWORK_NAMES.get(k, _title(k))} {versions[k]}" for k in keys]


def _join(parts: Iterable[str]) -> str:
    return "\n".join(parts)


def render(card: ModelCard, style: str = "trainer") -> str:
    """The card as a README.md in ``style`` (only ``"trainer"``), ending with one newline."""
    if style not in STYLES:
        msg = f"unknown style {style!r}: expected one of {', '.join(STYLES)}"
        raise ValueError(msg)
    meta = _front_matter(card)
    yaml_text = yaml.dump(meta, Dumper=_Dumper, sort_keys=False) if meta else ""
    lines = ["---", yaml_text.rstrip("\n"), "---", "", TRAINER_COMMENT, ""] if meta else [TRAINER_COMMENT, ""]
    if card.model_name is not None:
        lines.extend([f"# {card.model_name}", ""])
    lines.extend(_intro(card))
    for heading in ("Model description", "Intended uses & limitations", "Training and evaluation data"):
        lines.extend(["", f"## {heading}", "", PLACEHOLDER])
    lines.extend(["", "## Training procedure", "", "### Training hyperparameters", ""])
    hp_lines = _hyperparameters(card.hyperparameters)
    if hp_lines:
        lines.extend(["The following hyperparameters were used during training:", *hp_lines, ""])
    lines.extend(["### Training results", ""])
    tables = _tables(card)
    lines.extend(tables if tables else ["", ""])
    lines.extend(["### Framework versions", ""])
    lines.extend(_frameworks(card.framework_versions))
    return _join(lines).rstrip("\n") + "\n"


def trainer_view(card: ModelCard) -> ModelCard:
    """``card`` as :func:`render` writes it: the documented exceptions applied (a copy).

    ``parse_text(render(card))`` reproduces this view's normalised values.
    """
    view = card.model_copy(deep=True)
    view.style = "trainer"
    view.tags = _tags(view.tags)
    if isinstance(view.extra.get("tags"), list):
        view.extra["tags"] = _tags(view.extra["tags"])
    view.extra.pop("_front_matter", None)
    hp = view.hyperparameters
    if hp.optimizer is not None and hp.optimizer.weight_decay is not None:
        if set(hp.optimizer.args) != {"text"}:
            hp.optimizer.args["weight_decay"] = hp.optimizer.weight_decay
        hp.optimizer.weight_decay = None
    if hp.lr_scheduler is not None:
        hp.lr_scheduler.args = {}
    if hp.mixed_precision is None:
        hp.precision = None
    return view
