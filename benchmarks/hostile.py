"""Time and peak memory of ``parse`` on hostile cards (the shapes of tests/test_hostile.py).

    .venv/bin/python benchmarks/hostile.py            # every case, one line each
    .venv/bin/python benchmarks/hostile.py --only 100k-rows --repeat 5

Time is the best of ``--repeat`` runs (wall clock, after one warm-up); peak memory is
measured with tracemalloc in a separate run (tracemalloc slows parsing several times).
The tests state these bounds in their docstrings and never assert on time.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

from modelcard_parser import parse_text

HP = "## Training hyperparameters\n\n- learning_rate: 2e-05\n\n"
RESULTS = "### Training results\n\n| Training Loss | Epoch | Step | Validation Loss |"


def laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + "\n---\n# T\n"


FILLER = "Plain prose that says nothing in particular, over and over again. " * 2 + "\n"

CASES: dict[str, Callable[[], str | bytes]] = {
    "billion-laughs": laughs,
    "python-tags": lambda: "---\nx: !!python/object/apply:os.system ['echo']\n---\n",
    "yaml-flow-10000": lambda: "---\nx: " + "[" * 10_000 + "]" * 10_000 + "\n---\n",
    "yaml-flow-map-10000": lambda: "---\nx: " + "{a: " * 10_000 + "}" * 10_000 + "\n---\n",
    "yaml-block-10000": lambda: "---\nx:\n" + "- " * 10_000 + "a\n---\n",
    "yaml-100k-keys": lambda: "---\n" + "".join(f"k{i}: v{i}\n" for i in range(100_000)) + "---\n",
    "5mb-card": lambda: "# T\n\n## Model description\n\n" + FILLER * 38_000 + HP,
    "5mb-read-section": lambda: "# T\n\n" + HP + FILLER * 38_000,
    "1mb-line": lambda: HP + "a" * 1_000_000 + "\n",
    "1mb-heading-hashes": lambda: "#" + " #" * 500_000 + "!\n" + HP,
    "1mb-spaces-delim": lambda: HP + "|" + " " * 1_000_000 + "|x\n",
    "1mb-yaml-int": lambda: "---\nx: " + "9" * 1_000_000 + "\n---\n",
    "nul-and-bad-utf8": lambda: (b"---\nlicense: m\x00it\xff\n---\n" + HP.encode()) * 1000,
    "10k-columns": lambda: (
        RESULTS + " c |" * 9_996 + "\n|" + "---|" * 10_000 + "\n|" + " 1 |" * 10_000 + "\n"
    ),
    "100k-rows": lambda: RESULTS + "\n|---|---|---|---|\n" + "| 0.5 | 1 | 1 | 0.4 |\n" * 100_000,
    "50k-nested-list-line": lambda: HP + "- " * 50_000 + "x\n",
    "50k-nested-quote-line": lambda: HP + "> " * 50_000 + "x\n",
    "50k-nested-list-lines": lambda: HP + "".join("  " * (i % 40) + "- a: 1\n" for i in range(50_000)),
    "20k-eval-sentences": lambda: (
        "It achieves the following results on the evaluation set:\n- Loss: 1\n\n" * 20_000
    ),
    "20k-sections": lambda: (
        "It achieves the following results on the evaluation set:\n- Loss: 1\n\n## h\n\n" * 20_000
    ),
}


def measure(make: Callable[[], str | bytes], repeat: int) -> tuple[int, float, float]:
    data = make()
    parse_text(data)  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        parse_text(data)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    parse_text(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return len(data), best, peak / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", choices=sorted(CASES), help="run only these cases")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{'case':<24} {'size':>12} {'time':>8} {'peak MB':>8}")
    for name in args.only or CASES:
        size, seconds, peak = measure(CASES[name], args.repeat)
        print(f"{name:<24} {size:>12,} {seconds:>7.3f}s {peak:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
