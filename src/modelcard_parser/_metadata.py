"""Front-matter typing: known keys -> ModelCard fields, ``model-index`` -> EvalMetrics.

Lenient like packaging's ``parse_email``: a value of the wrong type never raises; it
is kept in ``extra`` (MC201), and a bad model-index entry keeps everything else (MC202,
with the YAML key path and its file line).
"""

from __future__ import annotations

import math
from typing import Any

from ._names import canonical
from ._yaml import Path, format_path
from .diagnostics import Diagnostic
from .models import EvalMetrics

_LIST_FIELDS = ("language", "tags", "datasets", "metrics")
_STR_FIELDS = ("license", "library_name", "pipeline_tag")
# Past this a number has no useful float (2.0**1000 is exact, so a float compares alike).
# A constant: CPython does not fold 2**1000, and computing it for every metric was slow.
_HUGE = 2.0**1000
KNOWN_KEYS = frozenset(
    {*_LIST_FIELDS, *_STR_FIELDS, "base_model", "model-index", "model_index", "model_name"}
)


class MetadataReader:
    """Types one front-matter mapping; collects diagnostics with file lines."""

    def __init__(self, data: dict[str, Any], positions: dict[Path, int]) -> None:
        self.data = data
        self.positions = positions
        self.diagnostics: list[Diagnostic] = []
        self.fields: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        self.eval_results: list[EvalMetrics] = []

    def line(self, path: Path) -> int | None:
        """File line of a key path, or of its nearest ancestor that has one."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get(())

    def note(self, code: str, message: str, path: Path) -> None:
        self.diagnostics.append(Diagnostic.make(code, message, self.line(path), path=format_path(path)))

    def read(self) -> None:
        """Type every key."""
        for key, value in self.data.items():
            if key in _LIST_FIELDS:
                self._list(key, value)
            elif key in _STR_FIELDS:
                self._str(key, value)
            elif key == "base_model":
                self._base_model(value)
            elif key == "model_name":
                self._str(key, value)
            elif key in ("model-index", "model_index"):
                if key == "model_index":
                    self.note("MC203", "legacy key 'model_index' read as 'model-index'", (key,))
                self._model_index(key, value)
            else:
                self.extra[key] = value

    def _list(self, key: str, value: Any) -> None:
        if value is None:
            self.fields[key] = []
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            self.fields[key] = [str(value)]
        elif isinstance(value, list):
            items = [str(v) for v in value if isinstance(v, (str, int, float)) and v is not None]
            if len(items) != len([v for v in value if v is not None]):
                self.note("MC201", f"{value!r} is invalid for {key!r}: items must be strings", (key,))
                self.extra[key] = value
            self.fields[key] = items
        else:
            self.note("MC201", f"{value!r} is invalid for {key!r}: expected a string or a list", (key,))
            self.extra[key] = value

    def _str(self, key: str, value: Any) -> None:
        if value is None or value == "":
            return
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            self.fields[key] = str(value)
        elif isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            self.fields[key] = value[0]
        else:
            self.note("MC201", f"{value!r} is invalid for {key!r}: expected a string", (key,))
            self.extra[key] = value

    def _base_model(self, value: Any) -> None:
        if isinstance(value, str):
            self.fields["base_models"] = [value] if value else []
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            self.fields["base_models"] = [v for v in value if v]
        elif value is not None:
            self.note(
                "MC201",
                f"{value!r} is invalid for 'base_model': expected a string or a list",
                ("base_model",),
            )
            self.extra["base_model"] = value

    # --- model-index ----------------------------------------------------------
    def _model_index(self, key: str, value: Any) -> None:
        if value is None:
            return
        entries = [value] if isinstance(value, dict) else value
        if not isinstance(entries, list):
            self.note("MC202", f"{value!r} is invalid for {key!r}: expected a list of models", (key,))
            self.extra[key] = value
            return
        if "model_name_index" not in self.fields and entries and isinstance(entries[0], dict):
            name = entries[0].get("name")
            if isinstance(name, (str, int, float)) and name != "":
                self.fields["model_name_index"] = str(name)
        for i, entry in enumerate(entries):
            path: Path = (key, i) if isinstance(value, list) else (key,)
            if not isinstance(entry, dict):
                self.note(
                    "MC202", f"{entry!r} is invalid for {format_path(path)!r}: expected a mapping", path
                )
                continue
            name = entry.get("name")
            results = entry.get("results")
            if results is None and ("task" in entry or "metrics" in entry):
                results = [entry]  # results given inline
            if results is None:
                continue
            if isinstance(results, dict):
                results = [results]
            if not isinstance(results, list):
                self.note(
                    "MC202",
                    f"{results!r} is invalid for {format_path((*path, 'results'))!r}: expected a list",
                    (*path, "results"),
                )
                continue
            for j, result in enumerate(results):
                rpath: Path = (*path, "results", j)
                if not isinstance(result, dict):
                    self.note(
                        "MC202",
                        f"{result!r} is invalid for {format_path(rpath)!r}: expected a mapping",
                        rpath,
                    )
                    continue
                if not result:
                    continue
                self._result(result, rpath, None if name is None else str(name))

    def _text(self, mapping: dict[str, Any], field: str, path: Path) -> str | None:
        value = mapping.get(field)
        if value is None:
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        self.note(
            "MC202",
            f"{value!r} is invalid for {format_path((*path, field))!r}: expected a string",
            (*path, field),
        )
        return None

    def _result(self, result: dict[str, Any], path: Path, model_name: str | None) -> None:
        # Every field is gathered first and the model built once (a model-index can hold
        # hundreds of results: one validation each, no attribute assignments).
        fields: dict[str, Any] = {}
        task = result.get("task")
        if isinstance(task, dict):
            fields["task"] = self._text(task, "type", (*path, "task"))
            fields["task_name"] = self._text(task, "name", (*path, "task"))
        elif task is None:
            self.note("MC202", f"missing 'task' in {format_path(path)!r}", path)
        else:
            self.note(
                "MC202",
                f"{task!r} is invalid for {format_path((*path, 'task'))!r}: expected a mapping",
                (*path, "task"),
            )
        dataset = result.get("dataset")
        dpath: Path = (*path, "dataset")
        lines: dict[str, int] = {}
        if isinstance(dataset, dict):
            fields["dataset"] = self._text(dataset, "name", dpath)
            fields["dataset_type"] = self._text(dataset, "type", dpath)
            fields["dataset_config"] = self._text(dataset, "config", dpath)
            fields["split"] = self._text(dataset, "split", dpath)
            fields["dataset_revision"] = self._text(dataset, "revision", dpath)
            fields["dataset_args"] = dataset.get("args")
            for field in ("name", "type", "config", "split", "revision"):
                line = self.positions.get((*dpath, field))
                if line is not None:
                    lines[field] = line
        elif dataset is None:
            self.note("MC202", f"missing 'dataset' in {format_path(path)!r}", path)
        else:
            self.note(
                "MC202", f"{dataset!r} is invalid for {format_path(dpath)!r}: expected a mapping", dpath
            )
        metrics = result.get("metrics")
        mkey = "metrics"
        if metrics is None and isinstance(result.get("metric"), dict):
            metrics, mkey = [result["metric"]], "metric"  # transformers 4.7-4.9 shape
        if isinstance(metrics, dict):
            metrics = [metrics]
        if isinstance(metrics, list):
            values, texts, details = self._metrics(metrics, (*path, mkey))
        else:
            values, texts, details = {}, {}, []
            if metrics is None:
                self.note("MC202", f"missing 'metrics' in {format_path(path)!r}", path)
            else:
                self.note(
                    "MC202",
                    f"{metrics!r} is invalid for {format_path((*path, mkey))!r}: expected a list",
                    (*path, mkey),
                )
        self.eval_results.append(
            EvalMetrics(
                source="model-index",
                model_name=model_name,
                source_line=self.line(path),
                metrics=values,
                extra=texts,
                details=details,
                lines=lines,
                **fields,
            )
        )

    def _metrics(
        self, metrics: list[Any], path: Path
    ) -> tuple[dict[str, float], dict[str, str], list[dict[str, Any]]]:
        """(values, texts that are not numbers, details) of a result's metrics, by key.

        Each detail is the fields of its MetricValue (only those set): EvalMetrics
        validates them into MetricValues, in one validator call for the whole result
        rather than one per metric (hundreds in an MTEB model-index).
        """
        read: list[dict[str, Any]] = []
        types: list[str] = []  # canonical type of each metric read ("" without a type)
        positions = self.positions
        listed = path[-1] == "metrics"  # else a lone legacy 'metric': its path is `path`
        for k, metric in enumerate(metrics):
            # Fast path for the common well-formed metric (all of an MTEB model-index's
            # hundreds): a dict whose type/name/config are str or missing, with a type or a
            # name, and an int/float value within +-_HUGE (NaN and inf fail the bound).
            # On that _metric() notes nothing, its _text() calls return the values as they
            # are, the value is float(value), there is no text, and line(vpath) is
            # positions[vpath] when vpath has one: the same entry, without the checks and
            # without building paths for diagnostics. Anything else takes _metric().
            if listed and type(metric) is dict:
                mtype = metric.get("type")
                mname = metric.get("name")
                config = metric.get("config")
                value = metric.get("value")
                if (
                    (type(mtype) is str or (mtype is None and type(mname) is str))
                    and (mname is None or type(mname) is str)
                    and (config is None or type(config) is str)
                    and (type(value) is float or type(value) is int)
                    and -_HUGE < value < _HUGE
                ):
                    vpath = (*path, k, "value")
                    line = positions.get(vpath)
                    entry: dict[str, Any] = {"line": self.line(vpath) if line is None else line}
                    if mname is not None:
                        entry["name"] = mname
                    if mtype is not None:
                        entry["type"] = mtype
                    entry["value"] = float(value)
                    if config is not None:
                        entry["config"] = config
                    args = metric.get("args")
                    if args is not None:
                        entry["args"] = args
                    verified = metric.get("verified")
                    if isinstance(verified, bool):
                        entry["verified"] = verified
                    read.append(entry)
                    types.append(canonical(mtype) if mtype else "")
                    continue
            general = self._metric(metric, (*path, k) if listed else path)
            if general is not None:
                read.append(general)
                gtype = general.get("type")
                types.append(canonical(gtype) if gtype else "")
        type_counts: dict[str, int] = {}
        for t in types:
            if t:
                type_counts[t] = type_counts.get(t, 0) + 1
        values: dict[str, float] = {}
        texts: dict[str, str] = {}
        for d, t in zip(read, types, strict=True):
            mname = d.get("name")
            key = canonical(mname) if (not t or type_counts[t] > 1) and mname else t
            key = key or canonical(mname or "") or "metric"
            base, n = key, 2
            while key in values or key in texts:
                key, n = f"{base}_{n}", n + 1
            if "value" in d:
                values[key] = d["value"]
            elif "text" in d:
                texts[key] = d["text"]
            d["key"] = key
        return values, texts, read

    def _metric(self, metric: Any, mpath: Path) -> dict[str, Any] | None:
        """One metric's MetricValue fields (only those set), or None (noted) to skip it."""
        if not isinstance(metric, dict):
            self.note("MC202", f"{metric!r} is invalid for {format_path(mpath)!r}: expected a mapping", mpath)
            return None
        mtype = self._text(metric, "type", mpath)
        mname = self._text(metric, "name", mpath)
        if mtype is None and mname is None:
            self.note("MC202", f"metric {format_path(mpath)!r} has neither 'type' nor 'name'", mpath)
            return None
        raw_value = metric.get("value")
        value: float | None = None
        text: str | None = None
        if isinstance(raw_value, bool) or raw_value is None:
            self.note(
                "MC202",
                f"{raw_value!r} is invalid for {format_path((*mpath, 'value'))!r}: expected a number",
                (*mpath, "value"),
            )
            text = None if raw_value is None else str(raw_value)
        elif isinstance(raw_value, (int, float)):
            value = float(raw_value) if abs(raw_value) < _HUGE else math.inf
        else:
            try:
                value = float(str(raw_value).strip().rstrip("%"))
            except ValueError:
                text = str(raw_value)
                self.note(
                    "MC202",
                    f"{raw_value!r} is invalid for {format_path((*mpath, 'value'))!r}: expected a number",
                    (*mpath, "value"),
                )
        if value is not None and not math.isfinite(value):  # .inf, "nan": no JSON form
            text, value = str(raw_value), None
            self.note(
                "MC202",
                f"{raw_value!r} is invalid for {format_path((*mpath, 'value'))!r}: expected a finite number",
                (*mpath, "value"),
            )
        # Only what is set: a field left out is null, and is not validated (hundreds
        # of metrics in an MTEB model-index).
        entry: dict[str, Any] = {"line": self.line((*mpath, "value"))}
        for field, got in (
            ("name", mname),
            ("type", mtype),
            ("value", value),
            ("text", text),
            ("config", self._text(metric, "config", mpath)),
            ("args", metric.get("args")),
        ):
            if got is not None:
                entry[field] = got
        verified = metric.get("verified")
        if isinstance(verified, bool):
            entry["verified"] = verified
        return entry
