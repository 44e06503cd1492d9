"""Step 3: safe YAML with positions.

The YAML is *composed* by libyaml (``CSafeLoader``; ``SafeLoader`` when libyaml is
missing, same node graph) and *constructed* here, so that

* every key path gets its 1-based file line (``positions``),
* duplicate keys are reported (the last value is kept, as PyYAML and the Hub do),
* no tag ever builds a Python object (``!!python/...`` gives MC123 and null),
* alias expansion and nesting are bounded (a "billion laughs" document composes in
  linear time, and its expansion stops at ``Limits.max_yaml_nodes`` with MC124),
* timestamps stay strings as written (JSON-friendly, nothing guessed).

Three paths give the same result, the first that can is taken: ``_yaml_lines`` reads, line
by line, the plain block-style subset nearly all front matter is in (without building a
node graph: several times faster than libyaml's composer driven from Python); libyaml's
composer (``_load_fast``) reads most of the rest; the bounded composer reads anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer

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
_SLOW = object()  # _Builder.plain(): "not a plain scalar, build() it"
_KEEP_AS_STR = {_STD + t for t in ("timestamp", "binary", "value", "yaml")}
_SEQ, _MAP, _MERGE = _STD + "seq", _STD + "map", _STD + "merge"
_SAFE_COLLECTIONS = {_SEQ, _MAP, _STD + "omap", _STD + "pairs", _STD + "set"}
_scalar_constructor = yaml.SafeLoader("")
# The constructor functions themselves, not construct_object(): that one caches every node
# it builds in the loader, so a long-lived loader would keep every card's nodes alive.
_SCALAR_BUILDERS = {tag: yaml.SafeLoader.yaml_constructors[tag] for tag in _SCALAR_TAGS}


_NUMBERS = {_STD + "int", _STD + "float"}
# Longer numbers stay text (MC126): Python refuses str <-> int past 4,300 digits (a
# 1,000,000-digit int raised ValueError, a long hex one failed in JSON), and PyYAML's
# base-60 "1:2:3:..." ints cost quadratic time.  Real values have a few dozen characters.
_MAX_NUMBER_TEXT = 1000


def _scalar(node: yaml.Node) -> Any:
    """A str/int/float/bool/null scalar, exactly as SafeLoader builds it; a number too long
    or too large to build (a base-60 float overflows) is kept as written."""
    if node.tag == _STR:
        return node.value  # construct_yaml_str returns the scalar's text as is
    if node.tag in _NUMBERS and len(node.value) > _MAX_NUMBER_TEXT:
        return node.value
    try:
        return _SCALAR_BUILDERS[node.tag](_scalar_constructor, node)
    except (ValueError, OverflowError):
        return node.value


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
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        """File line where the limit was crossed (None: the front matter's first line)."""


class _BoundedComposer(Composer):
    """PyYAML's Python composer with the nesting and node limits checked on the way in.

    Used over both parsers (libyaml's events or the pure-Python ones), so the node graph
    and every error are the same with or without libyaml, and a 10,000-deep ``[[[[...``
    stops at ``Limits.max_yaml_depth`` instead of being composed whole (libyaml's own
    composer is quadratic in the depth; the pure-Python one overflows the stack).
    """

    _base: Any = None
    max_depth = 100
    max_nodes = 100_000

    def __init__(self, stream: str) -> None:
        self._base.__init__(self, stream)
        self.anchors: dict[Any, yaml.Node] = {}
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.depth += 1
        self.nodes += 1
        try:
            if self.depth > self.max_depth + 1 or self.nodes > self.max_nodes:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                what = (
                    f"YAML nested deeper than {self.max_depth}"
                    if self.depth > self.max_depth + 1
                    else f"more than {self.max_nodes:,} YAML nodes"
                )
                raise _LimitExceededError(what, int(mark.line))
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_BOUNDED: dict[str, type[_BoundedComposer]] = {}


def _bounded(base: type[Any]) -> type[_BoundedComposer]:
    """``base`` (CSafeLoader or SafeLoader) composing with :class:`_BoundedComposer`."""
    key = f"{base.__module__}.{base.__qualname__}"
    if key not in _BOUNDED:
        _BOUNDED[key] = type(f"Bounded{base.__name__}", (_BoundedComposer, base), {"_base": base})
    return _BOUNDED[key]


@dataclass(slots=True)
class YamlResult:
    """The loaded document, the file line of every key path, and diagnostics."""

    data: Any = None
    positions: dict[Path, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ok: bool = True


def _duplicate_key(key: str, first: int, line: int, column: int, path: Path) -> Diagnostic:
    """MC122 for ``key`` at ``line``/``column`` (1-based), met before at line ``first``."""
    return Diagnostic.make(
        "MC122",
        f"duplicate key {key!r} (first at line {first}); the last value is kept",
        line,
        column=column,
        path=format_path(path),
    )


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
        self.where = first_line
        """Line of the last node built in place (not through an alias): where a limit hit."""

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
            raise _LimitExceededError(f"more than {self.limits.max_yaml_nodes:,} YAML nodes", self.where)
        again = id(node) in self.built
        if again or self.expanding:
            self.alias_nodes += 1
            if self.alias_nodes > self.limits.max_yaml_alias_nodes:
                raise _LimitExceededError(
                    f"YAML aliases expand to more than {self.limits.max_yaml_alias_nodes:,} nodes",
                    self.where,
                )
        else:
            self.built.add(id(node))
            self.where = self.line(node)
        if again:
            self.expanding += 1
            try:
                return self._build(node, path, depth)
            finally:
                self.expanding -= 1
        return self._build(node, path, depth)

    def _build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if depth > self.limits.max_yaml_depth:
            raise _LimitExceededError(f"YAML nested deeper than {self.limits.max_yaml_depth}", self.where)
        self.out.positions.setdefault(path, self.line(node))
        tag = node.tag or ""
        if tag.startswith((_STD + "python/", "!!python")):
            self.note("MC123", f"YAML tag {tag!r} is not allowed; value set to null", node, path)
            return None
        if isinstance(node, yaml.ScalarNode):
            if tag in _SCALAR_TAGS:
                return self.scalar(node, path)
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
                items = []
                for i, child in enumerate(node.value):
                    sub: Path = (*path, i)
                    value = self.plain(child, sub, depth + 1)
                    items.append(self.build(child, sub, depth + 1) if value is _SLOW else value)
                return items
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
                key_path: Path = (*path, key)
                column = int(key_node.start_mark.column) + 1
                self.out.diagnostics.append(
                    _duplicate_key(key, seen[key], self.line(key_node), column, key_path)
                )
                self.out.positions[key_path] = self.line(value_node)
            seen[key] = self.line(key_node)
            if not self.expanding:
                self.where = seen[key]
            sub: Path = (*path, key)
            # (a top-level value always goes through top_value(), which catches limits)
            value = self.plain(value_node, sub, depth + 1) if path else _SLOW
            if value is _SLOW and not path:
                value = self.top_value(value_node, key)
            result[key] = self.build(value_node, sub, depth + 1) if value is _SLOW else value
        return result

    def top_value(self, node: yaml.Node, key: str) -> Any:
        """``build()`` of a top-level key's value.  Past a limit (billion laughs) that value
        is null with MC124 on its line, and the other keys are still read."""
        try:
            return self.build(node, (key,), 1)
        except _LimitExceededError as exc:
            line = exc.line or self.where
            self.out.diagnostics.append(
                Diagnostic.make("MC124", f"{exc}; {key!r} set to null", line, path=key)
            )
            self.out.ok = False
            return None

    def plain(self, node: yaml.Node, path: Path, depth: int) -> Any:
        """``build()`` of a str/int/float/bool/null scalar met for the first time, in one
        step (most nodes are); ``_SLOW`` for any other node."""
        if self.expanding or type(node) is not yaml.ScalarNode or node.tag not in _SCALAR_TAGS:
            return _SLOW
        if id(node) in self.built:
            return _SLOW
        self.count += 1
        if self.count > self.limits.max_yaml_nodes:
            raise _LimitExceededError(f"more than {self.limits.max_yaml_nodes:,} YAML nodes", self.where)
        self.built.add(id(node))
        self.where = line = int(node.start_mark.line) + self.offset
        if depth > self.limits.max_yaml_depth:
            raise _LimitExceededError(f"YAML nested deeper than {self.limits.max_yaml_depth}", self.where)
        self.out.positions.setdefault(path, line)
        tag = node.tag
        return node.value if tag == _STR else self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: Path) -> Any:
        """:func:`_scalar`, with MC126 when a number had to stay text."""
        value = _scalar(node)
        if isinstance(value, str) and node.tag in _NUMBERS:
            self.note(
                "MC126",
                f"number {value[:40]!r}... ({len(value):,} characters) is too long or too large "
                "to read; kept as text",
                node,
                path,
            )
        return value

    def key(self, node: yaml.Node, path: Path, depth: int) -> str:
        """Mapping keys are strings as written: ``on:`` stays "on", ``1:`` is "1".

        YAML 1.1 would make ``on``/``yes``/``no`` booleans (two of them then collide); the
        Hub reads front matter as YAML 1.2, where they are plain strings.  A quoted or
        plain scalar key is therefore kept exactly as written.
        """
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        value = self.build(node, (*path, "?"), depth + 1)  # a list or mapping used as a key
        self.out.positions.pop((*path, "?"), None)
        return str(value)


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


# --- fast path: libyaml's own composer ------------------------------------------------
# The bounded Python composer below costs more than the rest of the load.  When a document
# provably cannot reach its limits and cannot differ otherwise, libyaml's C composer gives
# the same node graph: no anchors or aliases (the composers word those errors differently),
# no Python tags (their children are never built, so a depth limit there would go unseen),
# few flow brackets (libyaml is quadratic in flow nesting), and fewer possible nodes than
# max_yaml_nodes (a node takes at least two thirds of a character).  Any error, and any
# limit the builder hits, falls back to the bounded path, so results never differ.
_C_LOADER: Any = getattr(yaml, "CSafeLoader", None)
_MAX_FAST_BRACKETS = 1000
_RESOLVED: dict[tuple[Any, Any, Any], str] = {}


def _resolve_cached(self: Any, kind: Any, value: Any, implicit: Any) -> str:
    """Resolver.resolve, memoised: a pure function of its arguments (no path resolvers)."""
    key = (kind, value, implicit)
    tag = _RESOLVED.get(key)
    if tag is None:
        tag = _C_LOADER.resolve(self, kind, value, implicit)
        if len(_RESOLVED) >= 4096:
            _RESOLVED.clear()
        _RESOLVED[key] = tag
    return tag


_FastLoader: Any = (
    None if _C_LOADER is None else type("_FastCSafeLoader", (_C_LOADER,), {"resolve": _resolve_cached})
)


def _max_nodes(text: str, brackets: int) -> int:
    """An upper bound of the nodes a document composes to (aliases aside).

    A node is a non-empty scalar (at most one per line plus one per indicator character
    on it), an empty scalar made by an indicator (at most two per ``?``, one otherwise), or
    a collection opened by an indicator (``[ { - ? :``); ``,`` separates flow entries.
    """
    indicators = brackets + sum(text.count(c) for c in ":-?,")
    return 2 * (text.count("\n") + 1) + 4 * indicators + 8


def _load_fast(text: str, first_line: int, limits: Limits) -> YamlResult | None:
    """The bounded path's result through libyaml's composer, or None when not certain."""
    if _FastLoader is None or _Loader is not _C_LOADER or _C_LOADER.yaml_path_resolvers:
        return None
    if "&" in text or "*" in text or ("!" in text and ("python" in text or "%" in text)):
        return None
    brackets = text.count("[") + text.count("{")
    if brackets > _MAX_FAST_BRACKETS or _max_nodes(text, brackets) > limits.max_yaml_nodes:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except Exception:  # any error: the bounded path reports it in its own words
        return None
    finally:
        loader.dispose()
    trial = YamlResult()
    if node is not None:
        try:
            trial.data = _Builder(first_line, limits, trial).build(node, (), 0)
        except Exception:  # a limit, or a bad "!!int x": the bounded path decides what happens
            return None
        if not trial.ok:  # a limit hit inside a top-level value: the bounded path decides
            return None
    return trial


def load(text: str, first_line: int, limits: Limits = DEFAULT_LIMITS) -> YamlResult:
    """Load one YAML document; ``first_line`` is the file line of the text's first line."""
    from ._yaml_lines import load_lines  # (it imports this module)

    out = YamlResult()
    text = _untab(text, first_line, out)
    fast = load_lines(text, first_line, limits)
    if fast is None:
        fast = _load_fast(text, first_line, limits)
    if fast is not None:
        out.data, out.positions = fast.data, fast.positions
        out.diagnostics.extend(fast.diagnostics)
        return out
    loader = _bounded(_Loader)(text)
    loader.max_depth, loader.max_nodes = limits.max_yaml_depth, limits.max_yaml_nodes
    try:
        node = loader.get_single_node()
    except _LimitExceededError as exc:
        line = first_line + (exc.line or 0)
        out.diagnostics.append(Diagnostic.make("MC124", f"{exc}; front matter ignored", line))
        out.ok = False
        return out
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
    finally:
        loader.dispose()  # type: ignore[attr-defined]
    if node is None:
        return out
    builder = _Builder(first_line, limits, out)
    try:
        out.data = builder.build(node, (), 0)
    except _LimitExceededError as exc:
        line = exc.line or first_line
        out.diagnostics.append(Diagnostic.make("MC124", f"{exc}; front matter ignored", line))
        out.data = None
        out.ok = False
    except RecursionError:
        out.diagnostics.append(Diagnostic.make("MC124", "YAML nested too deeply", first_line))
        out.data = None
        out.ok = False
    return out
