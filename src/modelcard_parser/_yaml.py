"""Step 3: safe YAML with positions.

The YAML is *composed* by libyaml (``CSafeLoader``; ``SafeLoader`` when libyaml is
missing, same node graph) and *constructed* here, so that

* every key path gets its 1-based file line (``positions``),
* duplicate keys are reported (the last value is kept, as PyYAML and the Hub do),
* no tag ever builds a Python object (``!!python/...`` gives MC123 and null),
* alias expansion and nesting are bounded (a "billion laughs" document composes in
  linear time, and its expansion stops at ``Limits.max_yaml_nodes`` with MC124),
* timestamps stay strings as written (JSON-friendly, nothing guessed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ._source import DEFAULT_LIMITS, Limits
from .diagnostics import Diagnostic

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,misc,unused-ignore]
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null")}
_STR = _STD + "str"
_KEEP_AS_STR = {_STD + t for t in ("timestamp", "binary", "value", "yaml")}
_SEQ, _MAP, _MERGE = _STD + "seq", _STD + "map", _STD + "merge"
_SAFE_COLLECTIONS = {_SEQ, _MAP, _STD + "omap", _STD + "pairs", _STD + "set"}
_scalar_constructor = yaml.SafeLoader("")
# The constructor functions themselves, not construct_object(): that one caches every node
# it builds in the loader, so a long-lived loader would keep every card's nodes alive.
_SCALAR_BUILDERS = {tag: yaml.SafeLoader.yaml_constructors[tag] for tag in _SCALAR_TAGS}


def _scalar(node: yaml.Node) -> Any:
    """A str/int/float/bool/null scalar, exactly as SafeLoader builds it."""
    if node.tag == _STR:
        return node.value  # construct_yaml_str returns the scalar's text as is
    return _SCALAR_BUILDERS[node.tag](_scalar_constructor, node)


def format_path(path: Path) -> str:
    """``("model-index", 0, "results")`` -> ``model-index[0].results``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _LimitExceededError(Exception):
    pass


@dataclass(slots=True)
class YamlResult:
    """The loaded document, the file line of every key path, and diagnostics."""

    data: Any = None
    positions: dict[Path, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ok: bool = True


class _Builder:
    def __init__(self, first_line: int, limits: Limits, out: YamlResult) -> None:
        self.offset = first_line  # file line of YAML line 0 is offset
        self.limits = limits
        self.out = out
        self.count = 0
        self.alias_nodes = 0
        self.expanding = 0
        self.built: set[int] = set()
        self.active: set[int] = set()

    def line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + self.offset

    def note(self, code: str, message: str, node: yaml.Node, path: Path) -> None:
        self.out.diagnostics.append(
            Diagnostic.make(
                code,
                message,
                self.line(node),
                column=int(node.start_mark.column) + 1,
                path=format_path(path) or None,
            )
        )

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.max_yaml_nodes:
            raise _LimitExceededError(f"more than {self.limits.max_yaml_nodes:,} YAML nodes")
        again = id(node) in self.built
        if again or self.expanding:
            self.alias_nodes += 1
            if self.alias_nodes > self.limits.max_yaml_alias_nodes:
                raise _LimitExceededError(
                    f"YAML aliases expand to more than {self.limits.max_yaml_alias_nodes:,} nodes"
                )
        else:
            self.built.add(id(node))
        if again:
            self.expanding += 1
            try:
                return self._build(node, path, depth)
            finally:
                self.expanding -= 1
        return self._build(node, path, depth)

    def _build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if depth > self.limits.max_yaml_depth:
            raise _LimitExceededError(f"YAML nested deeper than {self.limits.max_yaml_depth}")
        self.out.positions.setdefault(path, self.line(node))
        tag = node.tag or ""
        if tag.startswith((_STD + "python/", "!!python")):
            self.note("MC123", f"YAML tag {tag!r} is not allowed; value set to null", node, path)
            return None
        if isinstance(node, yaml.ScalarNode):
            if tag in _SCALAR_TAGS:
                return _scalar(node)
            if tag not in _KEEP_AS_STR:
                self.note("MC123", f"unknown YAML tag {tag!r}; value kept as text", node, path)
            return str(node.value)
        if tag not in _SAFE_COLLECTIONS:
            self.note("MC123", f"unknown YAML tag {tag!r}; value read as plain YAML", node, path)
        if id(node) in self.active:
            raise _LimitExceededError("recursive YAML alias")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged = self.build(value_node, path, depth + 1)
                for m in merged if isinstance(merged, list) else [merged]:
                    if isinstance(m, dict):
                        for k, v in m.items():
                            result.setdefault(k, v)
                continue
            key = self.key(key_node, path, depth)
            if key in seen:
                self.note(
                    "MC122",
                    f"duplicate key {key!r} (first at line {seen[key]}); the last value is kept",
                    key_node,
                    (*path, key),
                )
                key_path: Path = (*path, key)
                self.out.positions[key_path] = self.line(value_node)
            seen[key] = self.line(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def key(self, node: yaml.Node, path: Path, depth: int) -> str:
        """Mapping keys become strings: ``true`` -> "true", ``1`` -> "1", null -> "null"."""
        if isinstance(node, yaml.ScalarNode) and (node.tag or "") in _SCALAR_TAGS:
            value = _scalar(node)
        else:
            value = self.build(node, (*path, "?"), depth + 1)
            self.out.positions.pop((*path, "?"), None)
        if isinstance(value, bool):
            return "true" if value else "false"
        return "null" if value is None else str(value)


# "key:<spaces>\t value" or "-<spaces>\t value": libyaml accepts the tab, PyYAML's pure
# Python scanner rejects it ("found character '\t' that cannot start any token").  Reading
# it as a space makes CSafeLoader and SafeLoader agree (and matches what the author meant).
# The key may not run over a newline: "- ELI5\n\nlicense:\t..." is two lines, not one key.
_TAB_SEPARATOR = re.compile(r"^( *(?:- +)*(?:[^\s\"'#:\-][^:\"'#\n]*:|-))( *\t[ \t]*)(?=\S)", re.MULTILINE)


def _untab(text: str, first_line: int, out: YamlResult) -> str:
    if "\t" not in text:
        return text

    def fix(m: re.Match[str]) -> str:
        line = text.count("\n", 0, m.start()) + first_line
        out.diagnostics.append(
            Diagnostic.make(
                "MC125",
                f"tab between {m.group(1).strip()!r} and its value read as a space",
                line,
                column=len(m.group(1)) + m.group(2).index("\t") + 1,
            )
        )
        return m.group(1) + " "

    return _TAB_SEPARATOR.sub(fix, text)


def load(text: str, first_line: int, limits: Limits = DEFAULT_LIMITS) -> YamlResult:
    """Load one YAML document; ``first_line`` is the file line of the text's first line."""
    out = YamlResult()
    text = _untab(text, first_line, out)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + first_line if mark is not None else first_line
        col = int(mark.column) + 1 if mark is not None else None
        what = exc.problem or str(exc)
        if exc.context:
            what = f"{what} ({exc.context})"
        out.diagnostics.append(Diagnostic.make("MC120", f"YAML syntax error: {what}", line, column=col))
        out.ok = False
        return out
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        msg = "YAML nested too deeply" if isinstance(exc, RecursionError) else f"YAML error: {exc}"
        code = "MC124" if isinstance(exc, (RecursionError, MemoryError)) else "MC120"
        out.diagnostics.append(Diagnostic.make(code, msg, first_line))
        out.ok = False
        return out
    if node is None:
        return out
    builder = _Builder(first_line, limits, out)
    try:
        out.data = builder.build(node, (), 0)
    except _LimitExceededError as exc:
        out.diagnostics.append(Diagnostic.make("MC124", f"{exc}; front matter ignored", first_line))
        out.data = None
        out.ok = False
    except RecursionError:
        out.diagnostics.append(Diagnostic.make("MC124", "YAML nested too deeply", first_line))
        out.data = None
        out.ok = False
    return out
