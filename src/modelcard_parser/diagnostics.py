"""Diagnostics: located findings about a card, their codes, and the strict-mode error.

Every stage of the parser (decoding, front matter, YAML, body extraction,
normalization, checks) reports what it could not read, or what looks wrong, as a
:class:`Diagnostic` with a stable code.  Codes are grouped by stage:

* ``MC1xx`` reading: decoding, front-matter fences, YAML.
* ``MC2xx`` metadata: ill-typed front-matter fields and ``model-index`` entries.
* ``MC3xx`` body: tables, hyperparameters, evaluation lists, links.
* ``MC4xx`` checks (``modelcard check``): contradictions and implausible values.

The table :data:`CODES` is the single registry; ``modelcard check --explain CODE``
and the README read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CODES",
    "CardParseError",
    "CodeInfo",
    "Diagnostic",
    "Severity",
    "register_code",
]


class Severity(str, Enum):
    """How bad a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for info (for ``--fail-on`` comparisons)."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What a diagnostic code means."""

    code: str
    severity: Severity
    title: str
    rationale: str


CODES: dict[str, CodeInfo] = {}


def register_code(code: str, severity: Severity, title: str, rationale: str) -> CodeInfo:
    """Add a code to the registry (each code once)."""
    if code in CODES:
        msg = f"diagnostic code {code!r} registered twice"
        raise ValueError(msg)
    info = CodeInfo(code, severity, title, rationale)
    CODES[code] = info
    return info


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
for _code, _sev, _title, _why in [
    # --- reading -----------------------------------------------------------
    (
        "MC101",
        _W,
        "invalid UTF-8",
        "Bytes that are not UTF-8 were replaced by U+FFFD; the text around them is kept.",
    ),
    (
        "MC102",
        _W,
        "card too large",
        "The card is larger than the configured limit (Limits.max_bytes); only its start was read.",
    ),
    (
        "MC103",
        _W,
        "NUL bytes",
        "The card contains NUL characters; they were removed so the rest can be read.",
    ),
    (
        "MC110",
        _W,
        "unclosed front matter",
        "A '---' fence opens the file but no closing '---' line follows; no metadata was read "
        "and the lines after the fence are treated as the body.",
    ),
    (
        "MC111",
        _W,
        "non-standard front-matter fence",
        "The front matter is fenced with more than three dashes; it was read, but the Hub "
        "only recognises exactly '---' and will not see this metadata.",
    ),
    (
        "MC112",
        _W,
        "text before front matter",
        "Text stands before the opening '---'; the block was read as front matter, but the "
        "Hub only recognises front matter at the start of the file.",
    ),
    (
        "MC113",
        _W,
        "second front-matter block",
        "A second '---' block follows the first; its keys were merged where the first block "
        "does not set them (the first block wins on conflicts).",
    ),
    (
        "MC114",
        _W,
        "byte-order mark",
        "The file starts with a UTF-8 byte-order mark; it was stripped, but the Hub does not "
        "recognise front matter behind a BOM.",
    ),
    (
        "MC115",
        _I,
        "repeated opening fence",
        "The front matter opens with '---' twice; the Hub's regex reads the second one as a "
        "YAML document marker, so the metadata below it is read (and so it is here).",
    ),
    ("MC120", _E, "YAML syntax error", "The front matter is not valid YAML; no metadata was read from it."),
    (
        "MC121",
        _E,
        "front matter is not a mapping",
        "The front matter parsed to a list, a scalar or nothing instead of a 'key: value' "
        "mapping; it is kept under extra['_front_matter'].",
    ),
    (
        "MC122",
        _W,
        "duplicate YAML key",
        "A key appears twice in one mapping; the last value is kept, as PyYAML and the Hub do.",
    ),
    (
        "MC123",
        _E,
        "unsafe or unknown YAML tag",
        "A tag such as '!!python/object' asks for a Python object; it is never constructed and "
        "its value is null.",
    ),
    (
        "MC124",
        _E,
        "YAML limit exceeded",
        "Alias expansion, nesting or node count exceeded the configured limits (Limits."
        "max_yaml_*: billion-laughs and deep-nesting guard); that front-matter block is not read.",
    ),
    (
        "MC125",
        _W,
        "tab before a YAML value",
        "A tab separates a key (or '- ') from its value. libyaml accepts it, pure-Python PyYAML "
        "and many other YAML readers reject it; it was read as a space so that every loader "
        "gives the same result.",
    ),
    (
        "MC126",
        _W,
        "YAML number too long",
        "A front-matter number has more than 1,000 characters, or does not fit a float; it is "
        "kept as the text written (Python reads at most 4,300 digits).",
    ),
    # --- metadata ------------------------------------------------------------
    (
        "MC201",
        _W,
        "ill-typed metadata field",
        "A front-matter field does not have the expected type; the value is kept in extra.",
    ),
    (
        "MC202",
        _W,
        "invalid model-index entry",
        "A model-index entry lacks a field or has one of the wrong type; the rest is kept.",
    ),
    (
        "MC203",
        _I,
        "legacy model_index key",
        "transformers 4.7-4.9 wrote 'model_index'; it is read like 'model-index'.",
    ),
    # --- body ----------------------------------------------------------------
    (
        "MC301",
        _W,
        "ragged table row",
        "A table row has more or fewer cells than the header; it was padded or truncated.",
    ),
    (
        "MC302",
        _W,
        "unreadable hyperparameter",
        "A hyperparameter value could not be typed; it is kept as written in extra.",
    ),
    (
        "MC303",
        _W,
        "non-numeric table cell",
        "A results cell is neither a number nor 'No log'; it is kept as text in extra.",
    ),
    (
        "MC304",
        _I,
        "empty base-model link",
        "The body says 'fine-tuned version of [](https://huggingface.co/)': the generator had "
        "no base model id, so none is reported.",
    ),
    (
        "MC305",
        _W,
        "unreadable optimizer",
        "The optimizer text (a Keras dict repr or a Trainer phrase) could not be read; it is "
        "kept as written.",
    ),
    (
        "MC306",
        _I,
        "table recovered from broken markdown",
        "A results table whose header row has no pipes was split on runs of spaces.",
    ),
    (
        "MC307",
        _W,
        "unreadable metric value",
        "An evaluation bullet or model-index value is not a number; it is kept as text.",
    ),
    (
        "MC308",
        _I,
        "model name 'None'",
        "The title is '# None' (or the model-index name 'None'): transformers wrote str(None) "
        "for a missing model name, so none is reported.",
    ),
    (
        "MC309",
        _W,
        "hyperparameter stated twice",
        "A hyperparameter appears twice with different values (a card with two training "
        "stages, or a list repeated by hand); the first value is kept.",
    ),
    (
        "MC320",
        _W,
        "table too large",
        "A table has more rows or columns than Limits.max_table_rows / max_table_columns; the "
        "first ones were read and the rest skipped (the message gives the lines).",
    ),
    (
        "MC321",
        _W,
        "markdown nested too deeply",
        "Lists or block quotes nest deeper than the markdown parser's 20 levels; it skips the "
        "rest of that block, so values written there were not read.",
    ),
    (
        "MC322",
        _W,
        "markdown budget exceeded",
        "The sections the extractors read hold more lines than Limits.max_markdown_lines; the "
        "lines from the reported one on were not parsed as markdown (bounds a card's cost).",
    ),
]:
    register_code(_code, _sev, _title, _why)


class Diagnostic(BaseModel):
    """One located finding.

    ``line`` and ``column`` are 1-based and refer to the original card file, whatever
    the stage that found the problem (YAML errors included).
    """

    model_config = ConfigDict(frozen=True)

    code: str
    """Stable code, e.g. ``MC120``; see :data:`CODES`."""
    severity: Severity
    """error, warning or info."""
    message: str
    """What was found and what was expected, quoting the value."""
    line: int | None = None
    """1-based line in the card file, when known."""
    column: int | None = Field(default=None, exclude=True)
    """1-based column, when known (in JSON only with ``--with-sources``)."""
    path: str | None = Field(default=None, exclude=True)
    """YAML key path such as ``model-index[0].results[1].metrics[0].value``."""

    @classmethod
    def make(
        cls,
        code: str,
        message: str,
        line: int | None = None,
        *,
        column: int | None = None,
        path: str | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """Build a diagnostic whose severity defaults to the code's registered one."""
        sev = severity if severity is not None else CODES[code].severity
        return cls(code=code, severity=sev, message=message, line=line, column=column, path=path)

    def format(self, path: str | None = None) -> str:
        """Render as ``path:line: CODE message`` (ruff-like)."""
        where = path or "<card>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.code} [{self.severity.value}] {self.message}"


class CardParseError(ValueError):
    """Raised by ``parse(..., strict=True)`` when a card has diagnostics.

    ``diagnostics`` holds all of them (not just the first); ``path`` names the file
    when the card was read from one.
    """

    def __init__(self, diagnostics: list[Diagnostic], path: str | None = None) -> None:
        self.diagnostics = list(diagnostics)
        self.path = path
        lines = [d.format(path) for d in self.diagnostics]
        head = f"{len(lines)} problem(s) in {path or 'card'}"
        super().__init__("\n".join([head, *lines]))

    def errors(self) -> list[dict[str, Any]]:
        """The diagnostics as plain dicts (shaped like pydantic's ``errors()``)."""
        return [
            {"type": d.code, "loc": (d.path,) if d.path else (), "msg": d.message, "line": d.line}
            for d in self.diagnostics
        ]
