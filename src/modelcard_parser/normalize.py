"""Step 6: the raw card -> one schema, whatever the dialect.

Trainer-style and Keras-style cards (and their hand-edited and prose rewrites) say the
same things in different words.  Here they get the same field names, the same metric
names (:func:`._names.canonical`), and the same epoch convention (completed epochs:
Keras's 0-based ``Epoch`` N becomes N + 1).  Every typed value keeps its text and line
(``raw``/``lines``/``source_line``), and what cannot be typed is kept as written in an
``extra`` mapping with a diagnostic: nothing is dropped silently.
"""

from __future__ import annotations

import ast
import math
import re
import struct
from typing import Any

from ._metadata import MetadataReader
from ._names import COLUMN_ALIASES, HP_ALIASES, OPTIMIZER_MEMBERS, canonical
from .diagnostics import Diagnostic
from .models import (
    EvalMetrics,
    Hyperparameters,
    LRScheduler,
    ModelCard,
    Optimizer,
    Style,
)
from .raw import RawCard, RawEvalList, RawField, RawTable

__all__ = ["detect_style", "normalize", "parse_number"]

_NULL_CELLS = frozenset({"no log", "-", "", "n/a", "na", "none", "nan", "null", "—"})
# Null cells as cards write them (each lowercases, stripped, into _NULL_CELLS).
_NULL_AS_WRITTEN = frozenset({"No log", "-", "", "N/A", "None", "none", "NaN", "nan", "—"})
_NUMERIC_WRAPPER = re.compile(r"\b(?:np|numpy)\.(?:float|int|uint)\d*\(([^()]*)\)")
_TRAINER_OPT = re.compile(
    r"^(?:Use\s+)?(?P<name>[\w.\-]+?)"
    r"(?:\s+with\s+betas=\((?P<b1>[^,()]+),\s*(?P<b2>[^()]+)\)\s+and\s+epsilon=(?P<eps>\S+?))?"
    r"(?:\s+and\s+optimizer_args=(?P<args>.*?))?"
    r"(?:\s+and the args are:\s*(?P<args2>.*))?\s*$",
    re.DOTALL,
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_UNSET = frozenset({"", "None", "none", "null"})
_TRAINER_HP = frozenset({"train_batch_size", "lr_scheduler_type", "eval_batch_size"})
_FP16 = re.compile(r"fp16|float16|\bamp\b|\bapex\b")
_HUGE_INT = 2**1000  # (not folded by CPython: a constant, not an expression per value)
_OTHER_TEMPLATES = frozenset({"trl_template", "setfit_template", "sentence_transformers_template"})


def parse_number(text: str) -> float | None:
    """A cell or value as a float: ``0.9325``, ``-1.2``, ``3e-05``, ``85.3%``; else None."""
    s = text.strip().replace("**", "").rstrip("%").strip()
    if not s or len(s) > 40:
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    return None if math.isnan(value) or math.isinf(value) else value


def _as_int(text: str) -> int | None:
    value = parse_number(text.replace(",", ""))
    if value is None or value != int(value):
        return None
    return int(value)


def _f32_nominal(x: float) -> float:
    """Undo float32 noise: 9.999999747378752e-06 -> 1e-05 (Keras legacy get_config)."""
    try:
        target = struct.pack("<f", x)
    except (OverflowError, struct.error):
        return x
    for digits in range(1, 10):
        y = float(f"{x:.{digits}g}")
        if struct.pack("<f", y) == target:
            return y
    return x


def _precision(value: str) -> str | None:
    """The one-schema precision of a precision line: fp16, bf16, fp32 or None.

    Trainer's ``mixed_precision_training`` (``Native AMP``, ``Apex, opt level O1``) is only
    written for fp16 (bf16 is never reported, FORMATS.md 1.5); Keras's
    ``training_precision`` is the global policy (``float32``, ``mixed_float16``, ...).
    """
    low = value.lower()
    if "bf16" in low or "bfloat16" in low:
        return "bf16"
    if _FP16.search(low):
        return "fp16"
    if "fp32" in low or "float32" in low:
        return "fp32"
    return None


def _snake(name: str) -> str:
    return canonical(_CAMEL.sub("_", name))


def _literal(text: str) -> Any:
    """A Python literal repr (Keras dicts), ``np.float32(1e-04)`` wrappers removed.

    ValueError, like any unreadable text, when the value has no JSON form: bytes, complex,
    inf/nan, an int past the float range (``1e999``, ``10**400``, ``b'\\xff'`` crashed
    float() or the JSON dump), or a top-level dict key that is not a string.
    """
    value = ast.literal_eval(_NUMERIC_WRAPPER.sub(r"\1", text))
    if not _json_safe(value) or (isinstance(value, dict) and not all(isinstance(k, str) for k in value)):
        msg = "literal has no JSON form"
        raise ValueError(msg)
    return value


def _json_safe(value: Any) -> bool:
    """True when a literal holds only str, bool, None, finite numbers and containers."""
    if value is None or isinstance(value, (str, bool)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int):
        return abs(value) < _HUGE_INT
    if isinstance(value, dict):
        return all(_json_safe(k) and _json_safe(v) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_json_safe(v) for v in value)
    return False


def _split_args(text: str) -> dict[str, Any]:
    """``betas=(0.9,0.95),eps=1e-8`` -> {"betas": (0.9, 0.95), "eps": 1e-08}."""
    text = text.strip()
    if not text or text.lower().startswith("no additional optimizer arguments"):
        return {}
    parts: list[str] = []
    depth, cur = 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out: dict[str, Any] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep:
            out[part.strip()] = None
            continue
        try:
            out[key.strip()] = _literal(value.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            out[key.strip()] = value.strip()
    return out


def _optimizer_name(name: str) -> str:
    if name.startswith("OptimizerNames."):
        member = name.split(".", 1)[1]
        return OPTIMIZER_MEMBERS.get(member, member.lower())
    return name.lower()


class _Normalizer:
    def __init__(self, raw: RawCard) -> None:
        self.raw = raw
        self.diagnostics: list[Diagnostic] = []

    def note(self, code: str, message: str, line: int | None) -> None:
        self.diagnostics.append(Diagnostic.make(code, message, line))

    # --- hyperparameters ---------------------------------------------------------
    def hyperparameters(self, fields: list[RawField], style: Style) -> Hyperparameters:
        # Values are gathered and the models built once at the end (no attribute assignments).
        vals: dict[str, Any] = {}
        raw_lines: dict[str, str] = {}
        extra: dict[str, str] = {}
        lines: dict[str, int] = {}
        sched: dict[str, Any] = {}
        has_sched = False
        seen: dict[str, tuple[str, int]] = {}
        for f in fields:
            raw_lines.setdefault(f.key, f.value)
            target = HP_ALIASES.get(canonical(f.key))
            value = f.value.strip()
            ok = True
            if target is None:
                extra[f.key] = f.value
                lines[f.key] = f.line
                continue
            # sentence-transformers dumps every TrainingArguments field: "None" is an unset
            # field and max_steps -1 means "no step limit"; neither states a value.
            if target != "optimizer" and (value in _UNSET or (target == "training_steps" and value == "-1")):
                continue
            # A key stated twice (sentence-transformers lists the non-default arguments,
            # then all of them; a card with two training stages has two lists): the first
            # line wins, and a different later value is reported, not silently taken.
            slot = "mixed_precision" if target == "training_precision" else target
            if slot in seen:
                first, first_line = seen[slot]
                if value != first:
                    self.note(
                        "MC309",
                        f"{f.key!r} is {value!r} here but {first!r} on line {first_line}; the first is kept",
                        f.line,
                    )
                continue
            seen[slot] = (value, f.line)
            if value.startswith("(") and value.endswith(")") and target != "optimizer":
                # SetFit writes (embedding phase, classifier phase) pairs such as
                # "num_epochs: (1, 16)": no single value, so it is kept as written.
                extra[f.key] = f.value
                lines[f.key] = f.line
                continue
            if target in ("learning_rate", "label_smoothing_factor"):
                num = parse_number(value)
                ok = num is not None
                vals[target] = num
            elif target in (
                "train_batch_size",
                "eval_batch_size",
                "seed",
                "num_devices",
                "gradient_accumulation_steps",
                "total_train_batch_size",
                "total_eval_batch_size",
                "training_steps",
            ):
                integer = _as_int(value)
                ok = integer is not None
                vals[target] = integer
            elif target == "num_epochs":
                vals["num_epochs"] = parse_number(value)
                ok = vals["num_epochs"] is not None
            elif target == "distributed_type":
                vals["distributed_type"] = value or None
            elif target == "mixed_precision":
                vals["mixed_precision"] = value or None
                vals["precision"] = _precision(value)
            elif target == "training_precision":
                # "mixed_float16" (Keras); "Mixed Precision" (optimum-graphcore's IPU cards).
                vals["mixed_precision"] = value if value.lower().startswith("mixed") else None
                vals["precision"] = _precision(value)
                ok = bool(value)
            elif target == "optimizer":
                vals["optimizer"], opt_lr, opt_sched = self.optimizer(value, f.line)
                if vals["optimizer"] is None and value != "None":
                    extra[f.key] = f.value  # unreadable (MC305): kept as written
                if opt_lr is not None and vals.get("learning_rate") is None:
                    vals["learning_rate"] = opt_lr
                    lines["learning_rate"] = f.line
                if opt_sched is not None:
                    sched, has_sched = dict(opt_sched), True
                    lines["lr_scheduler"] = f.line
            elif target == "lr_scheduler_type":
                sched["type"] = _snake(value.split(".")[-1]) if value else None
                has_sched = True
            elif target == "lr_scheduler_warmup_ratio":
                sched["warmup_ratio"] = parse_number(value)
                ok = sched["warmup_ratio"] is not None
                has_sched = True
            elif target == "lr_scheduler_warmup_steps":
                num = parse_number(value)
                ok = num is not None
                has_sched = True
                if num is not None and num != int(num) and num < 1:
                    # transformers 5: a float warmup_steps below 1 is a ratio.
                    sched["warmup_ratio"] = num
                elif num is not None:
                    sched["warmup_steps"] = int(num)
            if ok:
                lines[target if target != "training_precision" else "mixed_precision"] = f.line
            else:
                self.note("MC302", f"{f.value!r} is invalid for {f.key!r}: expected a number", f.line)
                extra[f.key] = f.value
        return Hyperparameters(
            **vals,
            lr_scheduler=sched if has_sched else None,  # validated into an LRScheduler
            extra=extra,
            raw=raw_lines,
            lines=lines,
        )

    def optimizer(self, text: str, line: int) -> tuple[Optimizer | None, float | None, LRScheduler | None]:
        if text in ("None", ""):
            return None, None, None
        if text.startswith("{"):
            return self._keras_optimizer(text, line)
        m = _TRAINER_OPT.match(text)
        if not m:
            self.note("MC305", f"optimizer {text[:80]!r} not understood; kept as written", line)
            return Optimizer(name=text.strip().lower(), args={"text": text}), None, None
        betas = None
        eps = None
        if m.group("b1") is not None:
            b1, b2, e = parse_number(m.group("b1")), parse_number(m.group("b2")), parse_number(m.group("eps"))
            if b1 is not None and b2 is not None:
                betas = (b1, b2)
            eps = e
        args_text = m.group("args") if m.group("args") is not None else m.group("args2")
        args = _split_args(args_text) if args_text is not None else {}
        return (
            Optimizer(name=_optimizer_name(m.group("name")), betas=betas, epsilon=eps, args=args),
            None,
            None,
        )

    def _keras_optimizer(
        self, text: str, line: int
    ) -> tuple[Optimizer | None, float | None, LRScheduler | None]:
        try:
            config = _literal(text) if len(text) < 100_000 else None
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            config = None
        if not isinstance(config, dict):
            # No optimizer is reported rather than an invented name; the caller keeps the
            # text in ``extra``.
            self.note("MC305", f"Keras optimizer {text[:80]!r} is not a readable dict; kept as written", line)
            return None, None, None
        loss_scale: dict[str, Any] = {}
        if isinstance(config.get("inner_optimizer"), dict):  # LossScaleOptimizer (mixed precision)
            inner = config["inner_optimizer"]
            # The wrapper's own settings (dynamic, initial_scale, ...) are the rest of the
            # dict too: they stay in args beside the inner optimizer's.
            loss_scale = {k: v for k, v in config.items() if k != "inner_optimizer"}
            config = dict(inner.get("config", inner))
            config.setdefault("name", inner.get("class_name", "unknown"))
        name = str(config.get("name") or config.get("class_name") or "unknown")
        args = {
            k: v
            for k, v in config.items()
            if k
            not in (
                "name",
                "learning_rate",
                "beta_1",
                "beta_2",
                "epsilon",
                "weight_decay_rate",
                "weight_decay",
            )
        }
        args.update(loss_scale)
        lr_value = config.get("learning_rate")
        lr: float | None = None
        sched: LRScheduler | None = None
        if isinstance(lr_value, (int, float)) and not isinstance(lr_value, bool):
            lr = _f32_nominal(float(lr_value))
        elif isinstance(lr_value, dict):
            lr, sched = self._keras_schedule(lr_value)
        b1, b2 = config.get("beta_1"), config.get("beta_2")
        betas = (
            (_f32_nominal(float(b1)), _f32_nominal(float(b2)))
            if isinstance(b1, (int, float)) and isinstance(b2, (int, float))
            else None
        )
        eps = config.get("epsilon")
        wd = config.get("weight_decay_rate", config.get("weight_decay"))
        opt = Optimizer(
            name=name.lower(),
            betas=betas,
            epsilon=_f32_nominal(float(eps)) if isinstance(eps, (int, float)) else None,
            weight_decay=_f32_nominal(float(wd))
            if isinstance(wd, (int, float)) and not isinstance(wd, bool)
            else None,
            args=args,
        )
        return opt, lr, sched

    def _keras_schedule(self, value: dict[str, Any]) -> tuple[float | None, LRScheduler]:
        cls = str(value.get("class_name", ""))
        config = value.get("config") if isinstance(value.get("config"), dict) else {}
        assert isinstance(config, dict)
        warmup: int | None = None
        if cls == "WarmUp" and isinstance(config.get("decay_schedule_fn"), dict):
            ws = config.get("warmup_steps")
            warmup = int(ws) if isinstance(ws, (int, float)) else None
            inner = config["decay_schedule_fn"]
            cls = str(inner.get("class_name", cls))
            outer_lr = config.get("initial_learning_rate")
            outer_power = config.get("power")
            config = dict(inner.get("config") or {})
            if outer_lr is not None:
                config.setdefault("initial_learning_rate", outer_lr)
            if outer_power is not None:
                # Why: the decay schedule names the type and keeps its own `power`; the
                # WarmUp's exponent is a separate fact, kept beside it.
                config["warmup_power"] = outer_power
        lr_raw = config.get("initial_learning_rate", config.get("learning_rate"))
        lr = _f32_nominal(float(lr_raw)) if isinstance(lr_raw, (int, float)) else None
        args = {k: v for k, v in config.items() if k != "name" or v is not None}
        args.pop("name", None)
        return lr, LRScheduler(type=_snake(cls) if cls else None, warmup_steps=warmup, args=args)

    # --- values ------------------------------------------------------------------
    def cell(
        self, title: str, text: str, metrics: dict[str, float | None], extra: dict[str, str], line: int
    ) -> None:
        key = canonical(title)
        s = text.strip()
        if s.lower() in _NULL_CELLS:
            metrics[key] = None
            return
        num = parse_number(s)
        if num is not None:
            metrics[key] = num
            return
        if s.startswith("{"):
            try:
                value = _literal(s)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                value = None
            # A seqeval entity dict flattens to "<column>_<key>" metrics, but only when every
            # value is a number: otherwise the whole text is kept (below), never a part of it.
            if (
                isinstance(value, dict)
                and value
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values())
            ):
                for k, v in value.items():
                    metrics[f"{key}_{canonical(str(k))}"] = float(v)
                return
        extra[title] = text
        self.note("MC303", f"{text[:60]!r} in column {title!r} is not a number; kept as text", line)

    def table(self, table: RawTable, keras: bool, dataset: str | None) -> list[dict[str, Any]]:
        """The EpochResult fields of each row.  ModelCard validates them into EpochResults:
        one validator call for the card, not one per row (a row costs ~25% less)."""
        rows: list[dict[str, Any]] = []
        header = table.header
        ncols = len(header)
        # Per column, once per table: (title, canonical name, EpochResult field or None).
        columns = [(title, canonical(title), COLUMN_ALIASES.get(canonical(title))) for title in header]
        for row in table.rows:
            if row.width != ncols:
                self.note(
                    "MC301",
                    f"row has {row.width} cells, the header {ncols}; "
                    + ("padded" if row.width < ncols else "extra cells dropped"),
                    row.line,
                )
            cells = row.cells if len(row.cells) == ncols else (row.cells + [""] * ncols)[:ncols]
            metrics: dict[str, float | None] = {}
            extra: dict[str, str] = {}
            values: dict[str, float | None] = {}
            for (title, key, field), text in zip(columns, cells, strict=True):
                # Most cells are plain finite numbers: float() takes them as parse_number
                # would (it strips the same whitespace; no "**" or "%"; at most 40 characters).
                num: float | None = None
                if text in _NULL_AS_WRITTEN:  # "No log", "-": null without a failed float()
                    if field is None:
                        metrics[key] = None
                    else:
                        values[field] = None
                    continue
                if len(text) <= 40:
                    try:
                        num = float(text)
                    except ValueError:
                        num = None
                    if num is not None and not math.isfinite(num):
                        num = None  # "nan" is a null cell, "inf" is text: cell() decides
                if num is not None:
                    if field is None:
                        metrics[key] = num
                    else:
                        values[field] = num
                elif field is None:
                    self.cell(title, text, metrics, extra, row.line)
                else:
                    scratch: dict[str, float | None] = {}
                    self.cell(title, text, scratch, extra, row.line)
                    values[field] = next(iter(scratch.values()), None)
            epoch = values.get("epoch")
            step = values.get("step")
            rows.append(
                {
                    "dataset": dataset,
                    "epoch": epoch + 1 if keras and epoch is not None else epoch,
                    "step": int(step) if step is not None else None,
                    "training_loss": values.get("training_loss"),
                    "validation_loss": values.get("validation_loss"),
                    "metrics": metrics,
                    "extra": extra,
                    "source_line": row.line,
                    "raw": dict(zip(header, cells, strict=True)),
                }
            )
        return rows

    def eval_list(self, lst: RawEvalList, keras: bool) -> EvalMetrics:
        values: dict[str, float] = {}
        texts: dict[str, str] = {}
        details: list[dict[str, Any]] = []  # MetricValue fields, validated by EvalMetrics
        raw_dict = any(f.key.startswith("eval_") for f in lst.items)
        for f in lst.items:
            key = f.key[5:] if raw_dict and f.key.startswith("eval_") else f.key
            ckey_as_written = canonical(key)
            field = COLUMN_ALIASES.get(ckey_as_written)
            if key.lower() == "loss" or field == "validation_loss":
                ckey = "validation_loss"
            elif field == "training_loss":
                ckey = "training_loss"
            else:
                ckey = ckey_as_written
            metrics: dict[str, float | None] = {}
            extra: dict[str, str] = {}
            self.cell(key, f.value, metrics, extra, f.line)
            for k, v in metrics.items():
                name = ckey if k == ckey_as_written else f"{ckey}{k[len(ckey_as_written) :]}"
                value = v + 1 if v is not None and name == "epoch" and keras else v
                if value is not None:
                    values[name] = value
                details.append({"key": name, "name": f.key, "value": value, "line": f.line, "raw": f.value})
            for k, text in extra.items():
                texts[ckey if k == key else k] = text
                details.append({"key": ckey, "name": f.key, "text": text, "line": f.line})
        return EvalMetrics(
            source="text",
            dataset=lst.label,
            source_line=lst.line,
            metrics=values,
            extra=texts,
            details=details,
        )


# "[^\[\]]", "[^()]": a title of 250,000 "[a](" was quadratic with "[^\]]", "[^)]".
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|`)(.+?)\1")  # not "__": model ids hold "__sst2__"
_MODEL_CARD_FOR = re.compile(r"^model card for\s+", re.IGNORECASE)
# Titles that card templates write whatever the model (Hub template, AutoTrain, Unsloth,
# skops): they name no model.
_TEMPLATE_TITLES = frozenset(
    {"model id", "model trained using autotrain", "uploaded model", "model description"}
)


def _title_name(title: str) -> str | None:
    """The model name an H1 states: its plain text, without "Model Card for"; None for a
    template's fixed title ("# Model Card for Model ID", "# Model Trained Using AutoTrain")."""
    text = _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", title))
    text = _MODEL_CARD_FOR.sub("", " ".join(text.split()))
    if not text or text.lower() in _TEMPLATE_TITLES:
        return None
    return text


def detect_style(raw: RawCard) -> Style:
    """trainer, keras or other, from body markers first and tags second.

    TRL, SetFit and sentence-transformers cards also carry ``generated_from_trainer``
    but write their own body, so tags alone never make a card ``trainer``.
    """
    tags = raw.metadata.get("tags")
    tag_list = [str(t) for t in tags] if isinstance(tags, list) else [str(tags)]
    hp_keys = {canonical(f.key) for f in raw.hyperparameters}
    opt = next((f.value for f in raw.hyperparameters if canonical(f.key) == "optimizer"), "")
    if "keras_comment" in raw.markers:
        return "keras"
    # The Trainer's comment outranks Keras-looking bullets: optimum-graphcore's IPU
    # Trainer adds "- training precision: Mixed Precision" to a Trainer card.
    if "trainer_comment" in raw.markers:
        return "trainer"
    if (
        "training_precision" in hp_keys
        or opt.lstrip().startswith("{")
        or ("generated_from_keras_callback" in tag_list and not raw.hyperparameters)
    ):
        return "keras"
    trainer_hp = len({HP_ALIASES.get(k) for k in hp_keys} & _TRAINER_HP) >= 2
    trainer_table = any(
        [canonical(h) for h in t.header[:3]] == ["training_loss", "epoch", "step"] for t in raw.results_tables
    )
    if trainer_hp or trainer_table:
        return "trainer"
    if "generated_from_trainer" in tag_list and "hp_sentence" in raw.markers:
        return "trainer"
    if "writer_intro" in raw.markers and not raw.markers & _OTHER_TEMPLATES:
        # Why: with the comment removed and the hyperparameters and table sections deleted,
        # the intro sentence in the card writer's own words still marks its card; the tag,
        # else the framework line (Pytorch / TensorFlow), tells the dialect.
        frameworks = {canonical(f.key) for f in raw.framework}
        if "generated_from_trainer" in tag_list or "pytorch" in frameworks:
            return "trainer"
        if "tensorflow" in frameworks:
            return "keras"
    if "generated_from_trainer" in tag_list and not raw.markers & _OTHER_TEMPLATES:
        # Why: a hand-rewritten body may keep only the Trainer's framework block, whose
        # "- Transformers 4.13.0" has no colon; TRL >= 0.12, SetFit and
        # sentence-transformers write "- Transformers: 4.57.0".
        for f in raw.framework:
            if canonical(f.key) == "transformers" and ":" not in raw.source.lines[f.line - 1]:
                return "trainer"
    return "other"


def _zero_based(table: RawTable) -> bool:
    """True unless the table's first Epoch cell is a number other than 0.

    transformers' Keras callback counts epochs from 0; huggingface_hub's Keras mixin
    writes an "Epochs" column counting from 1, which is already completed epochs.
    """
    for i, title in enumerate(table.header):
        if COLUMN_ALIASES.get(canonical(title)) == "epoch" and table.rows:
            cells = table.rows[0].cells
            first = parse_number(cells[i]) if i < len(cells) else None
            return first is None or first == 0
    return True


def _keras_table(table: RawTable, style: Style) -> bool:
    names = [canonical(h) for h in table.header]
    return style == "keras" or ("train_loss" in names and "step" not in names and "epoch" in names)


def normalize(raw: RawCard) -> ModelCard:
    """Type and reconcile a raw card into a :class:`ModelCard`.

    Nested models whose fields are gathered here (training rows, the body facts, the LR
    schedule, evaluation-bullet details) are passed as dicts: the one ModelCard validation
    builds them, cheaper than a validator call each.
    """
    norm = _Normalizer(raw)
    meta = MetadataReader(raw.metadata, raw.positions)
    meta.read()
    style = detect_style(raw)
    fields = meta.fields
    # Everything is gathered first and the card built once, validated (no assignments).
    extra = meta.extra
    if raw.front_matter is not None:
        extra["_front_matter"] = raw.front_matter
    sources: dict[str, int] = {}
    for key in raw.metadata:
        line = raw.positions.get((key,))
        if line is not None:
            sources[key] = line

    base_models: list[str] = fields.get("base_models", [])
    link = raw.base_model_link
    base_model: str | None = None
    if base_models:
        base_model = base_models[0]
    elif link is not None:
        base_model = link.value
        sources["base_model"] = link.line
    if link is not None:
        sources["body:base_model"] = link.line

    model_name: str | None = fields.get("model_name_index") or fields.get("model_name")
    title_name = _title_name(raw.title.value) if model_name is None and raw.title is not None else None
    if title_name and raw.title is not None:
        model_name = title_name
        sources["model_name"] = raw.title.line
    if model_name == "None":
        # Why: transformers renders a missing model name as str(None) ("# None" over
        # `name: null`, 4.6's `name: None`); an artefact like "the None dataset", not a name.
        line = sources.get("model_name", raw.title.line if raw.title is not None else None)
        norm.note("MC308", "model name 'None' is the card writer's str(None); no model name reported", line)
        model_name = None

    hyperparameters = norm.hyperparameters(raw.hyperparameters, style)
    training_results: list[dict[str, Any]] = []  # EpochResult fields
    multi = len(raw.results_tables) > 1
    keras_tables = [_keras_table(table, style) for table in raw.results_tables]
    for table, keras in zip(raw.results_tables, keras_tables, strict=True):
        training_results.extend(
            norm.table(table, keras and _zero_based(table), table.caption if multi else None)
        )
    # Keras bullets repeat the last row: its epoch is 0-based exactly when the table's is.
    keras_evals = style == "keras" and all(
        _zero_based(t) for t, keras in zip(raw.results_tables, keras_tables, strict=True) if keras
    )
    eval_results = [norm.eval_list(lst, keras_evals) for lst in raw.eval_lists]
    eval_results.extend(meta.eval_results)
    framework_versions: dict[str, str] = {}
    for f in raw.framework:
        key = canonical(f.key)
        if key not in framework_versions:
            framework_versions[key] = f.value
            sources[f"framework:{key}"] = f.line
    body = {  # BodyFacts fields
        "base_model": link.value if link else None,
        "base_model_line": link.line if link else None,
        "datasets": [d.value for d in raw.body_datasets],
        "datasets_line": raw.body_datasets[0].line if raw.body_datasets else None,
        "trained_from_scratch": raw.trained_from_scratch,
        "placeholders": raw.placeholders,
        "markers": sorted(raw.markers),
        "has_front_matter": raw.has_front_matter,
    }
    diagnostics = [*raw.diagnostics, *meta.diagnostics, *norm.diagnostics]
    diagnostics.sort(key=lambda d: d.line or 0)
    return ModelCard(
        style=style,
        model_name=model_name,
        base_model=base_model,
        base_models=base_models,
        license=fields.get("license"),
        language=fields.get("language", []),
        tags=fields.get("tags", []),
        datasets=fields.get("datasets", []),
        metrics=fields.get("metrics", []),
        library_name=fields.get("library_name"),
        pipeline_tag=fields.get("pipeline_tag"),
        hyperparameters=hyperparameters,
        training_results=training_results,
        eval_results=eval_results,
        framework_versions=framework_versions,
        extra=extra,
        diagnostics=diagnostics,
        path=raw.source.path,
        body=body,
        sources=sources,
    )
