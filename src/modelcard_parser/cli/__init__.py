"""The ``modelcard`` command line.

Each sub-command lives in its own module ``cmd_<name>.py`` in this package, with
``register(subparsers)`` adding its parser and a ``run(args) -> int`` behind it; they
are discovered in name order, so adding a command touches no other file.

Exit status: 0 success, 1 findings (``--strict`` errors, ``check`` findings), 2 usage or
I/O errors.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from .. import __version__

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every discovered sub-command."""
    parser = argparse.ArgumentParser(
        prog="modelcard",
        description=(
            "Read Hugging Face model cards (README.md: YAML front matter + markdown body) into "
            "typed data: metadata, hyperparameters, training results, evaluation metrics, "
            "framework versions; check them for contradictions; process whole corpora."
        ),
        epilog="Run 'modelcard COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``modelcard`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        code: int = args.func(args)
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        print("modelcard: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
