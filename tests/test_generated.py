"""Cards written by transformers' own card-writing code must be read back exactly.

``../shared/tools/gen_cards.py`` renders cards with the real ``modelcard.py`` of 23
transformers releases (Trainer and Keras dialects, PEFT re-saves, and with ``--mutate``
the hand edits seen in the wild), each ``card_XXXX.md`` beside a ``card_XXXX.json`` of
the values a perfect parser recovers (FORMATS.md section 7.4).  This test generates
cards into ``tmp_path``, parses each one, and requires every ground-truth value to come
back exactly, mapped to our contract (issue #3, "The contract").

It skips when the generator or its venv is missing.  Set up once with
``python3 ../shared/tools/gen_cards.py setup --no-tf`` (see README.md).  Knobs:
``MODELCARD_GEN_N`` (cards per run, default 300), ``MODELCARD_GEN_SEEDS`` (default
"0,1").

Run outside pytest over already generated folders (prints failure counts):
``.venv/bin/python tests/test_generated.py /tmp/g0 /tmp/g0m``.

Where the ground truth follows a convention our contract defines differently, the
mapping below says so in a comment; values are never fudged.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from modelcard_parser import parse
from modelcard_parser.models import ModelCard

ROOT = Path(__file__).resolve().parents[1]
GEN = ROOT.parent / "shared" / "tools" / "gen_cards.py"
VENV = Path(os.environ.get("GEN_CARDS_VENV") or Path.home() / ".cache" / "gen-cards-venv")
N = int(os.environ.get("MODELCARD_GEN_N", "300"))
SEEDS = [int(s) for s in os.environ.get("MODELCARD_GEN_SEEDS", "0,1").split(",") if s.strip()]

_NON_WORD = re.compile(r"[\W_]+")


# --- the contract's conventions, written out independently of the package -------------
def canon(title: str) -> str:
    """Contract: lowercase, each run of non-letters/digits one ``_``, none at the ends."""
    return _NON_WORD.sub("_", title.lower()).strip("_")


def snake_class(name: str) -> str:
    """Contract: a Keras schedule class becomes snake_case (PolynomialDecay -> polynomial_decay)."""
    return canon(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name))


def _json(value: Any) -> Any:
    """What ``model_dump(mode="json")`` makes of a value (tuples become lists)."""
    return json.loads(json.dumps(value))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    # transformers 4.7-4.10 write a None dataset as `- null`: no dataset, not a name.
    return [str(v) for v in items if v is not None]


def optimizer_args(text: str | None) -> dict[str, Any]:
    """``betas=(0.9,0.95),eps=1e-8`` -> {"betas": [0.9, 0.95], "eps": 1e-08}."""
    if not text:
        return {}
    out: dict[str, Any] = {}
    for part in re.split(r",(?![^()]*\))", text):
        key, _, value = part.partition("=")
        try:
            out[key.strip()] = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            out[key.strip()] = value.strip()
    return _json(out)


def metric_values(title: str, value: Any, out: dict[str, Any]) -> None:
    """One rendered metric (bullet or cell) under its canonical key.

    A dict-valued metric (a seqeval entity returned as-is) cannot be one float: the
    contract's metrics are ``{str: float}``, so each numeric entry becomes
    ``<metric>_<entry>`` (``Loc: {'f1': 0.9}`` -> ``loc_f1``).
    """
    key = canon(title)
    if isinstance(value, dict):
        for sub, v in value.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[f"{key}_{canon(str(sub))}"] = float(v)
    else:
        out[key] = value


# --- ground truth -> expected contract values -----------------------------------------
def expected_hyperparameters(gt: dict[str, Any]) -> dict[str, Any]:
    fields = [
        "learning_rate",
        "train_batch_size",
        "eval_batch_size",
        "seed",
        "gradient_accumulation_steps",
        "total_train_batch_size",
        "total_eval_batch_size",
        "num_devices",
        "distributed_type",
        "optimizer",
        "lr_scheduler",
        "num_epochs",
        "training_steps",
        "mixed_precision",
        "precision",
        "label_smoothing_factor",
    ]
    exp: dict[str, Any] = dict.fromkeys(fields)
    exp["extra"] = {}  # every line transformers writes has a field: nothing may land in extra
    h = gt["hyperparameters"]
    if h is None:
        return exp
    norm = gt["normalized"]
    if gt["style"] == "trainer":
        for key in fields:
            if key in h and key != "optimizer":
                exp[key] = h[key]
        # Contract: absent lines are null.  The ground truth's `normalized` block fills the
        # documented defaults (gradient_accumulation_steps 1, ...); we compare against the
        # lines the card states, not those defaults.
        opt = h.get("optimizer")
        if opt is not None:
            exp["optimizer"] = {
                # Contract: lowercase, enum prefix and "Use " dropped, enum member -> value
                # (the ground truth's `name` already maps OptimizerNames members).
                "name": opt["name"].lower(),
                "betas": opt["betas"],
                "epsilon": opt["epsilon"],
                "weight_decay": None,
                "args": optimizer_args(opt["optimizer_args"]),
            }
        if any(k.startswith("lr_scheduler") for k in h):
            exp["lr_scheduler"] = {
                "type": h.get("lr_scheduler_type"),
                # transformers 5: a float lr_scheduler_warmup_steps below 1 is a ratio;
                # `normalized` applies exactly that rule.
                "warmup_ratio": norm["warmup_ratio"],
                "warmup_steps": norm["warmup_steps"],
                "args": {},
            }
        mp = h.get("mixed_precision_training")
        exp["mixed_precision"] = mp  # as written: "Native AMP", "Apex, opt level O1"
        # Contract addition `precision`: fp16 for both AMP and Apex (the opt level stays in
        # mixed_precision, where the ground truth's "fp16-apex-O1" keeps it); no line is
        # null, never fp32: Trainer cards never state bf16 (FORMATS.md 1.5).
        exp["precision"] = None if mp is None else "fp16"
        return exp
    # Keras
    tp = h.get("training_precision")
    if tp is not None:
        exp["mixed_precision"] = tp if tp.startswith("mixed") else None
        exp["precision"] = {"float32": "fp32", "mixed_float16": "fp16", "mixed_bfloat16": "bf16"}[tp]
    o = h.get("optimizer")
    if "optimizer" not in h or o is None or o.get("name") is None:
        return exp  # `optimizer: None` is a valid null
    config = h["optimizer_config"]
    mapped = {"name", "learning_rate", "beta_1", "beta_2", "epsilon", "weight_decay_rate", "weight_decay"}
    exp["optimizer"] = {
        "name": o["name"].lower(),
        "betas": [o["beta_1"], o["beta_2"]] if "beta_1" in o else None,
        "epsilon": o.get("epsilon"),
        "weight_decay": o.get("weight_decay_rate", o.get("weight_decay")),
        # Contract: every other key of the Keras dict, as loaded.
        "args": {k: v for k, v in config.items() if k not in mapped},
    }
    # The nominal initial learning rate, even when written np.float32(...) or with float32
    # noise (9.999999747378752e-06).
    exp["learning_rate"] = o["learning_rate"]
    sched = o.get("schedule")
    if sched is not None:
        warmup_steps = None
        extra: dict[str, Any] = {}
        if sched["class_name"] == "WarmUp":
            # Contract: the decay schedule's class is the type; WarmUp gives warmup_steps
            # and its own exponent (`warmup_power`).  The ground truth's
            # "WarmUp+PolynomialDecay" names the same thing.
            warmup_steps = sched["warmup_steps"]
            extra["warmup_power"] = sched["power"]
            sched = sched["decay_schedule"]
        args = {k: v for k, v in sched.items() if k != "class_name"}
        exp["lr_scheduler"] = {
            "type": snake_class(sched["class_name"]),
            "warmup_ratio": None,
            "warmup_steps": warmup_steps,
            "args": {**args, **extra},
        }
    # No schedule: the ground truth's normalized "constant" is a default, not a statement
    # of the card, so our lr_scheduler stays null.
    return exp


def expected_rows(gt: dict[str, Any]) -> list[dict[str, Any]]:
    keras = gt["style"] == "keras"
    rows = []
    for row in gt["training_results"] or []:
        metrics: dict[str, Any] = {}
        for title, value in row["metrics"].items():
            metric_values(title, value, metrics)
        epoch = row["epoch"]
        rows.append(
            {
                "dataset": None,
                # Contract: completed epochs; Keras's 0-based epoch N becomes N + 1.
                "epoch": None if epoch is None else (epoch + 1 if keras else epoch),
                "step": row["step"],
                "training_loss": row["training_loss"],
                "validation_loss": row["validation_loss"],
                "metrics": metrics,
                "extra": {},
            }
        )
    return rows


def expected_text_eval(gt: dict[str, Any]) -> list[dict[str, Any]]:
    er = gt["eval_results"]
    if not er:
        return []
    keras = gt["style"] == "keras"
    raw_dict = any(k.startswith("eval_") for k in er)  # evaluate-only runs: `- eval_loss: ...`
    metrics: dict[str, Any] = {}
    for name, value in er.items():
        key = name[5:] if raw_dict and name.startswith("eval_") else name
        c = canon(key)
        if c in ("loss", "validation_loss"):
            # Contract: the loss on the evaluation set is validation_loss in both dialects
            # (Trainer's bullet "Loss", the raw "eval_loss", Keras's "Validation Loss").
            metrics["validation_loss"] = value
        elif c in ("train_loss", "training_loss"):
            metrics["training_loss"] = value
        elif c == "epoch" and keras:
            metrics["epoch"] = value + 1  # Keras bullets are the last row: 0-based epoch
        else:
            metric_values(key, value, metrics)
    return [{"source": "text", "dataset": None, "metrics": metrics}]


def expected_model_index(gt: dict[str, Any]) -> list[dict[str, Any]]:
    mi = gt["model_index"]
    entries = [mi] if isinstance(mi, dict) else (mi or [])
    out = []
    for entry in entries:
        results = entry.get("results") or []
        for result in [results] if isinstance(results, dict) else results:
            if not result:
                continue
            metrics = result.get("metrics")
            if metrics is None and "metric" in result:
                metrics = [result["metric"]]  # transformers 4.7-4.9: one `metric:` mapping
            metrics = metrics or []
            types = Counter(canon(m["type"]) for m in metrics if m.get("type"))
            values = {}
            for m in metrics:
                # Contract: keyed by the canonical type, by the name when types repeat.
                t = canon(m["type"]) if m.get("type") else ""
                key = canon(m["name"]) if (not t or types[t] > 1) and m.get("name") else t
                values[key] = float(m["value"])
            task = result.get("task") or {}
            ds = result.get("dataset") or {}
            out.append(
                {
                    "source": "model-index",
                    "task": task.get("type"),
                    "dataset": ds.get("name"),
                    "dataset_type": ds.get("type"),
                    "dataset_config": ds.get("config"),
                    "split": ds.get("split"),
                    "metrics": values,
                }
            )
    return out


def expected(gt: dict[str, Any]) -> dict[str, Any]:
    """The contract values a perfect parser gives for one ground-truth JSON."""
    yaml_base = gt["base_model_metadata"]
    body_base = gt["base_model"]
    # Contract: YAML base_model, else the body's link.  `base_model: ''` (4.31/4.32) and
    # the empty link `[](https://huggingface.co/)` name no model; "trained from scratch"
    # (body_base None) is a generator artefact, not a base model either.
    base = yaml_base or body_base or None
    return {
        "style": gt["style"],
        "model_name": gt["model_name"] or None,  # an empty H1 `# ` (before 4.25) is no name
        "base_model": base,
        "license": gt["license"],
        "language": _as_list(gt["language"]),
        "tags": _as_list(gt["tags"]),
        "datasets": _as_list(gt["datasets"]),
        "library_name": gt["library_name"],
        "pipeline_tag": (gt["metadata"] or {}).get("pipeline_tag"),  # peft >= 0.17 adds it
        "metrics": _as_list(gt["metric_tags"]),  # the YAML `metrics:` tags
        "hyperparameters": expected_hyperparameters(gt),
        "training_results": expected_rows(gt),
        "eval_results:text": expected_text_eval(gt),
        "eval_results:model-index": expected_model_index(gt),
        # Contract: lowercase keys ("Pytorch" -> pytorch, "TensorFlow" -> tensorflow).
        "framework_versions": {canon(k): v for k, v in (gt["framework_versions"] or {}).items()},
        # Python only (BodyFacts): datasets the intro sentence names; "the None dataset" is
        # an artefact of passing [None], not a dataset.
        "body:datasets": [d for d in gt["dataset_names"] or [] if d != "None"],
        "body:has_front_matter": gt["has_front_matter"],
        "body:comment": gt["autogenerated_comment"],
    }


def actual(card: ModelCard) -> dict[str, Any]:
    data = card.model_dump(mode="json")
    evals = data["eval_results"]
    text_keys = ("source", "dataset", "metrics")
    mi_keys = ("source", "task", "dataset", "dataset_type", "dataset_config", "split", "metrics")
    return {
        **{k: data[k] for k in ("style", "model_name", "base_model", "license", "language", "tags")},
        **{k: data[k] for k in ("datasets", "library_name", "pipeline_tag", "metrics")},
        **{k: data[k] for k in ("training_results", "framework_versions")},
        "hyperparameters": {k: v for k, v in data["hyperparameters"].items() if k != "extra"}
        | {"extra": data["hyperparameters"]["extra"]},
        "eval_results:text": [
            {k: e[k] for k in text_keys} | ({"extra": e["extra"]} if e["extra"] else {})
            for e in evals
            if e["source"] == "text"
        ],
        "eval_results:model-index": [
            {k: e[k] for k in mi_keys} | ({"extra": e["extra"]} if e["extra"] else {})
            for e in evals
            if e["source"] == "model-index"
        ],
        "body:datasets": card.body.datasets,
        "body:has_front_matter": card.body.has_front_matter,
        "body:comment": bool({"trainer_comment", "keras_comment"} & set(card.body.markers)),
    }


def compare(card: ModelCard, gt: dict[str, Any]) -> list[str]:
    """Every difference between the parsed card and the ground truth, one line each."""
    exp, got = expected(gt), actual(card)
    errors = []
    for key, want in exp.items():
        have = got[key]
        if key == "hyperparameters":
            for field, value in want.items():
                if have.get(field) != value:
                    errors.append(f"hyperparameters.{field}: expected {value!r}, got {have.get(field)!r}")
        elif key == "training_results" and len(want) == len(have):
            for i, (w, h) in enumerate(zip(want, have, strict=True)):
                if w != h:
                    errors.append(f"training_results[{i}]: expected {w!r}, got {h!r}")
        elif have != want:
            errors.append(f"{key}: expected {want!r}, got {have!r}")
    return errors


def check_dir(folder: Path) -> dict[str, list[str]]:
    """card id -> its differences, for every card of a generated folder."""
    failures: dict[str, list[str]] = {}
    for gt_path in sorted(folder.glob("card_*.json")):
        gt = json.loads(gt_path.read_text(encoding="utf-8"))
        card = parse(gt_path.with_suffix(".md"))
        errors = compare(card, gt)
        if errors:
            failures[gt_path.stem] = errors
    return failures


def summary(failures: dict[str, list[str]], limit: int = 12) -> str:
    kinds = Counter(re.sub(r"\[\d+\]", "[]", e.split(":", 1)[0]) for errs in failures.values() for e in errs)
    lines = [f"{len(failures)} card(s) differ; by field: {dict(kinds.most_common())}"]
    for card_id, errs in list(failures.items())[:limit]:
        lines.extend(f"  {card_id}: {e[:300]}" for e in errs[:3])
    return "\n".join(lines)


# --- pytest ---------------------------------------------------------------------------
def _missing() -> str | None:
    if not GEN.is_file():
        return f"{GEN} is not present"
    if not (VENV / "bin" / "python").exists() or not (VENV / "hist-wheels").is_dir():
        return f"generator venv {VENV} is not set up (python3 {GEN} setup --no-tf)"
    return None


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, bool], Path]:
    """Generate every (seed, mutate) folder, the runs in parallel."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("generated")
    runs: dict[tuple[int, bool], tuple[Path, subprocess.Popen[bytes]]] = {}
    for seed in SEEDS:
        for mutate in (False, True):
            out = base / f"seed{seed}{'-mutated' if mutate else ''}"
            cmd = [sys.executable, str(GEN), "--n", str(N), "--seed", str(seed), "--out", str(out)]
            proc = subprocess.Popen(
                [*cmd, "--mutate"] if mutate else cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            runs[seed, mutate] = (out, proc)
    folders = {}
    for key, (out, proc) in runs.items():
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, output.decode(errors="replace")[-2000:]
        folders[key] = out
    return folders


@pytest.mark.slow
@pytest.mark.parametrize("mutate", [False, True], ids=["plain", "mutated"])
@pytest.mark.parametrize("seed", SEEDS)
def test_every_ground_truth_value_is_recovered(
    generated: dict[tuple[int, bool], Path], seed: int, mutate: bool
) -> None:
    folder = generated[seed, mutate]
    assert len(list(folder.glob("card_*.md"))) == N
    failures = check_dir(folder)
    assert not failures, summary(failures)


def main(argv: list[str]) -> int:
    """Check already generated folders; print failure counts and examples."""
    total = 0
    for arg in argv:
        failures = check_dir(Path(arg))
        total += len(failures)
        print(f"{arg}: {summary(failures, limit=int(os.environ.get('LIMIT', '8')))}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
