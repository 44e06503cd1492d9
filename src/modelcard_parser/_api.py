"""The pipeline: source -> front matter/body -> raw extraction -> models -> normalized card."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO, Any, Union

from pydantic import BaseModel, TypeAdapter

from . import _frontmatter, _yaml
from ._extract import EXTRACTORS, Body
from ._sections import scan
from ._source import DEFAULT_LIMITS, Limits, Source, decode, load_source
from .diagnostics import CardParseError, Diagnostic
from .models import ModelCard
from .normalize import normalize
from .raw import RawCard

__all__ = ["CardSource", "parse", "parse_file", "parse_raw", "parse_text", "to_json"]

CardSource = Union[str, bytes, os.PathLike[str], IO[str], IO[bytes]]
"""What :func:`parse` accepts: a path, card text, bytes, or a text/binary file object."""


def _looks_like_path(value: str) -> bool:
    return (
        "\n" not in value
        and len(value) < 4096
        and (
            value.endswith((".md", ".MD", ".markdown", "/")) or os.path.isdir(value) or os.path.isfile(value)
        )
    )


def read_source(source: CardSource, *, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Turn any accepted input into a :class:`Source`.  Raises OSError for I/O errors."""
    path: str | None = None
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        p = Path(source)
        if p.is_dir():
            p = p / "README.md"
        path = str(p)
        with open(p, "rb") as fh:  # OSError (FileNotFoundError, ...) propagates with the path
            data: str | bytes = fh.read(limits.max_bytes + 1)
    elif isinstance(source, (str, bytes)):
        data = source
    elif isinstance(source, io.IOBase) or hasattr(source, "read"):
        data = source.read(limits.max_bytes + 1)
        path = getattr(source, "name", None) if isinstance(getattr(source, "name", None), str) else None
    else:
        msg = f"cannot read a card from {type(source).__name__!r}: pass a path, str, bytes or file object"
        raise TypeError(msg)
    return _from_data(data, path, limits)


def _from_data(data: str | bytes, path: str | None, limits: Limits) -> Source:
    diags: list[Diagnostic] = []
    if isinstance(data, bytes):
        text, diags = decode(data, limits)
    else:
        text = data
    return load_source(text, path=path, limits=limits, diagnostics=diags)


def parse_raw(source: CardSource, *, limits: Limits = DEFAULT_LIMITS) -> RawCard:
    """Read a card into the raw layer (strings as written, with lines).  Never raises on content."""
    return _raw(read_source(source, limits=limits), limits)


def _raw(src: Source, limits: Limits) -> RawCard:
    raw = RawCard(source=src, diagnostics=list(src.diagnostics))
    split = _frontmatter.split(src.lines, had_bom=src.had_bom)
    raw.diagnostics.extend(split.diagnostics)
    raw.has_front_matter = bool(split.blocks)
    for index, block in enumerate(split.blocks):
        loaded = _yaml.load("\n".join(block.lines), block.first_line, limits)
        raw.diagnostics.extend(loaded.diagnostics)
        if loaded.data is None:
            continue
        if not isinstance(loaded.data, dict):
            raw.diagnostics.append(
                Diagnostic.make(
                    "MC121",
                    f"front matter is a {type(loaded.data).__name__} ({str(loaded.data)[:60]!r}), "
                    "expected a 'key: value' mapping",
                    block.first_line,
                )
            )
            if index == 0:
                raw.front_matter = loaded.data
            continue
        # One pass over the positions (not one per key: 100,000 keys made that quadratic).
        kept = [key for key in loaded.data if key not in raw.metadata]
        for key in kept:
            raw.metadata[key] = loaded.data[key]
        if len(kept) == len(loaded.data):  # every key kept (the first block): no filter
            raw.positions.update({path: line for path, line in loaded.positions.items() if path})
        else:
            kept_keys = set(kept)
            for path, line in loaded.positions.items():
                if path and path[0] in kept_keys:
                    raw.positions[path] = line
        raw.positions.setdefault((), block.first_line)
    raw.root = scan(src.lines, split.body_start)
    body = Body(src.lines, raw.root, limits)
    for extractor in EXTRACTORS:
        extractor(body, raw)
    raw.diagnostics.extend(body.diagnostics)
    return raw


def parse(source: CardSource, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> ModelCard:
    """Parse a model card into a normalised :class:`ModelCard`.

    ``source`` is a path (a card file, or a model folder holding README.md), card text
    (``str``), ``bytes``, or a text/binary file object.  A ``str`` is taken as a path when
    it names an existing file or folder or ends in ``.md``; use :func:`parse_text` to be
    explicit.

    Lenient (default): never raises on card content; problems are in ``card.diagnostics``.
    Strict: raises one :class:`CardParseError` listing every error- or warning-severity
    diagnostic, each with its code and line.  I/O errors raise ``OSError`` naming the path.
    ``limits`` (:class:`Limits`) bounds the time and memory a hostile card can cost; what a
    limit cuts is a located diagnostic (MC102, MC124, MC320-MC322).
    """
    return _checked(normalize(parse_raw(source, limits=limits)), strict)


def _checked(card: ModelCard, strict: bool) -> ModelCard:
    if strict:
        serious = [d for d in card.diagnostics if d.severity.rank >= 1]
        if serious:
            raise CardParseError(serious, card.path)
    return card


def parse_text(text: str | bytes, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> ModelCard:
    """Parse card text (never taken as a path)."""
    # Cut as a file object would be read: a text far past the limit costs nothing more.
    src = _from_data(text[: limits.max_bytes + 1], None, limits)
    return _checked(normalize(_raw(src, limits)), strict)


def parse_file(
    path: str | os.PathLike[str], *, strict: bool = False, limits: Limits = DEFAULT_LIMITS
) -> ModelCard:
    """Parse a card file, or the README.md of a model folder."""
    return parse(Path(path), strict=strict, limits=limits)


def _with_sources(model: BaseModel) -> Any:
    data = model.model_dump(mode="json")
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            data[name] = _with_sources(value)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            data[name] = [_with_sources(v) for v in value]
        elif info.exclude:
            data[name] = _ANY.dump_python(value, mode="json")
    return data


_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def to_json(card: ModelCard, *, with_sources: bool = False) -> dict[str, Any]:
    """The card as JSON-ready data: ``card.model_dump(mode="json")``, plus, with
    ``with_sources``, every Python-only field (lines, values as written)."""
    if not with_sources:
        return card.model_dump(mode="json")
    result: dict[str, Any] = _with_sources(card)
    return result
