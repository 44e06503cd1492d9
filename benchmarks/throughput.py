"""Throughput benchmark: huggingface_hub vs modelcard-parser, -j 2 vs -j 1, peak RSS.

    .venv/bin/python benchmarks/throughput.py                 # everything, ~5 minutes
    .venv/bin/python benchmarks/throughput.py --cards 20000 --skip-rss
    .venv/bin/python benchmarks/throughput.py --profile       # + pyinstrument's top entries

What it prints, all measured in this run on the same cards (the corpus, default
``../shared/corpus/cards``, repeated to at least ``--cards``):

1. huggingface_hub: ``ModelCard(text, ignore_metadata_errors=True).data.eval_results``
   (front matter only; cards it raises on are counted and skipped) in cards/s;
2. ours: ``parse_text(text)`` (full parse + normalize, no checks) in cards/s; the two are
   timed in alternating blocks of the corpus so that a busy machine slows both alike;
3. the ratio (target >= 3);
4. ``-j 2`` vs ``-j 1``: ``modelcard batch``'s pipeline (cards parsed and turned into JSON
   lines in the workers, pool start included; target >= 1.8).  Each of ``--rounds``
   rounds (default 5) times both back to back, and the figure is the median of the
   rounds' ratios: a machine whose speed drifts over seconds skews a ratio of two best
   rates taken from different rounds, and skews one round, but not the median.  Beside
   it, in the same rounds, the machine's own ceiling: the same pipeline in 2 independent
   forked processes that share the cards through a counter, with no pool, no transfer and
   no parent (what ``-j 2`` would reach if the pool cost nothing; on a machine whose two
   CPUs slow each other down it is well under 2x).  Then ``parse_many`` handing whole
   ModelCard objects back to the parent (best of two rounds);
5. peak RSS (``VmHWM``, the process's own high-water mark) of a subprocess streaming
   ``--rss-cards`` cards (default 100,000) through that pipeline (target < 300 MB), with
   its RSS every 10% of the way.

Needs huggingface_hub (``pip install 'modelcard-parser[hub]'``); ``--profile`` needs
pyinstrument.  Numbers depend on the machine: run it on an otherwise idle one.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import logging
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "cards"


def _texts(corpus: Path) -> list[str]:
    files = sorted(corpus.glob("*.md"))
    if not files:
        sys.exit(f"no *.md cards in {corpus}")
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def _hub_parser() -> Callable[[str], bool]:
    from huggingface_hub import ModelCard, ModelCardData
    from huggingface_hub.utils import logging as hub_logging

    hub_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    logging.getLogger("huggingface_hub").setLevel(logging.CRITICAL)

    def hub(text: str) -> bool:
        try:
            data = ModelCard(text, ignore_metadata_errors=True).data
            cast(ModelCardData, data).eval_results  # noqa: B018
        except Exception:  # malformed YAML: the Hub's loader raises
            return False
        return True

    return hub


def _ours() -> Callable[[str], bool]:
    from modelcard_parser import parse_text

    def ours(text: str) -> bool:
        parse_text(text)
        return True

    return ours


def serial(unique: list[str], rounds: int, skip_hub: bool) -> dict[str, float]:
    """Both parsers over the same cards, alternating corpus-sized blocks."""
    ours = _ours()
    hub = None if skip_hub else _hub_parser()
    for text in unique:  # warm-up: imports, regex compilation, caches of the first pass
        ours(text)
        if hub is not None:
            hub(text)
    wall = {"ours": 0.0, "hub": 0.0}
    cpu = {"ours": 0.0, "hub": 0.0}
    hub_errors = 0
    for r in range(rounds):
        order = [("ours", ours), ("hub", hub)] if r % 2 == 0 else [("hub", hub), ("ours", ours)]
        for name, func in order:
            if func is None:
                continue
            w, c = time.perf_counter(), time.process_time()
            ok = sum(func(t) for t in unique)
            wall[name] += time.perf_counter() - w
            cpu[name] += time.process_time() - c
            if name == "hub":
                hub_errors += len(unique) - ok
    n = len(unique) * rounds
    out = {"cards": n, "ours_cps": n / wall["ours"], "ours_cpu_cps": n / cpu["ours"]}
    if hub is not None:
        out |= {
            "hub_cps": n / wall["hub"],
            "hub_cpu_cps": n / cpu["hub"],
            "hub_errors": hub_errors,
            "ratio": wall["hub"] / wall["ours"],
            "cpu_ratio": cpu["hub"] / cpu["ours"],
        }
    return out


def _items(unique: list[str], start: int, stop: int) -> Iterator[tuple[str, str]]:
    for i in range(start, stop):
        yield (f"card-{i}", unique[i % len(unique)])


def _timed(run: Callable[[], int]) -> float:
    start = time.perf_counter()
    count = run()
    return count / (time.perf_counter() - start)


_GRAB = 8  # cards an independent process takes from the shared counter at a time


def _independent(run: Callable[[int, int], int], n: int, jobs: int) -> int:
    """``jobs`` forked processes sharing the ``n`` cards: each takes the next ``_GRAB``
    card numbers from a shared counter and runs ``run`` on them, until none are left.

    The cards are already in each process's memory: no pool, no transfer, no parent
    work, and no process idles while another has a large share left (the two CPUs of a
    virtual machine need not run at the same speed).  What this machine allows ``jobs``
    processes.
    """
    counter = multiprocessing.get_context("fork").Value("q", 0)
    pids = []
    for _ in range(jobs):
        pid = os.fork()
        if pid == 0:  # the child
            gc.freeze()  # as the pool's workers do: the inherited heap is not walked again
            code = 0
            try:
                while True:
                    with counter.get_lock():
                        start = counter.value
                        counter.value = start + _GRAB
                    if start >= n:
                        break
                    run(start, min(start + _GRAB, n))
            except BaseException:  # reported through the exit code
                code = 1
            os._exit(code)
        pids.append(pid)
    failed = [pid for pid in pids if os.waitpid(pid, 0)[1] != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} of the independent processes failed")
    return n


def parallel(unique: list[str], n: int, jobs: int, rounds: int) -> dict[str, list[dict[str, float]]]:
    """-j 1 vs -j N: the batch pipeline (JSON lines made in the workers) and parse_many.

    Each of ``rounds`` rounds times -j 1, -j N and (where there is ``fork``) the same
    pipeline in N independent processes with no pool, the machine's own ceiling for
    -j N; the order rotates from round to round.  Returns each round's rates (cards/s) by
    run, for the pipeline ("batch") and for parse_many ("cards").
    """
    from modelcard_parser.batch import map_many, parse_many
    from modelcard_parser.cli.cmd_batch import make_record

    # total=n as ``modelcard batch`` passes the count it makes for its ETA: chunks are
    # sized to it.
    record = functools.partial(make_record, parquet=False, history=None)

    def serial_share(start: int, stop: int) -> int:
        return sum(1 for _ in map_many(record, _items(unique, start, stop), jobs=1))

    def batch_runs() -> dict[str, Callable[[], int]]:
        runs = {
            "j1": lambda: serial_share(0, n),
            "jN": lambda: sum(1 for _ in map_many(record, _items(unique, 0, n), jobs=jobs, total=n)),
        }
        if hasattr(os, "fork"):
            runs["indep"] = lambda: _independent(serial_share, n, jobs)
        return runs

    def card_runs() -> dict[str, Callable[[], int]]:
        def cards(j: int) -> int:
            results = parse_many(_items(unique, 0, n), jobs=j, total=n)
            return sum(1 for r in results if r.card is not None)

        return {"j1": lambda: cards(1), "jN": lambda: cards(jobs)}

    out: dict[str, list[dict[str, float]]] = {}
    for key, runs, times in (("batch", batch_runs(), rounds), ("cards", card_runs(), 2)):
        names = list(runs)
        out[key] = []
        for r in range(times):
            order = names[r % len(names) :] + names[: r % len(names)]
            out[key].append({name: _timed(runs[name]) for name in order})
    return out


def _best(rounds: list[dict[str, float]]) -> dict[str, float]:
    """The best rate of each run over the rounds."""
    return {name: max(rates[name] for rates in rounds) for name in rounds[0]}


def _ratios(rounds: list[dict[str, float]], num: str, den: str) -> list[float]:
    return [rates[num] / rates[den] for rates in rounds]


def _median(rounds: list[dict[str, float]], num: str, den: str) -> float:
    """The median over the rounds of the ratio of two rates measured in the same round."""
    return statistics.median(_ratios(rounds, num, den))


def _spread(rounds: list[dict[str, float]], num: str, den: str) -> str:
    return "each round: " + ", ".join(f"{x:.2f}" for x in _ratios(rounds, num, den))


_RSS_CHILD = r"""
import functools, json, os, resource, sys, time
from pathlib import Path
from modelcard_parser.batch import map_many
from modelcard_parser.cli.cmd_batch import make_record

corpus, n, jobs = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
unique = [f.read_text(encoding="utf-8", errors="replace") for f in sorted(corpus.glob("*.md"))]
items = ((f"card-{i}", unique[i % len(unique)]) for i in range(n))
record = functools.partial(make_record, parquet=False, history=None)
page = os.sysconf("SC_PAGE_SIZE")
samples = []
start = time.perf_counter()
with open(os.devnull, "w", encoding="utf-8") as out:
    for done, rec in enumerate(map_many(record, items, jobs=jobs), start=1):
        out.write(rec.out + "\n")
        if done % max(n // 10, 1) == 0:
            with open("/proc/self/statm") as fh:
                samples.append((done, int(fh.read().split()[1]) * page // 2**20))
# ru_maxrss of a child counts its parent's peak from before exec (Linux keeps the larger of
# the two): the high-water mark of this process's own memory is /proc's VmHWM.
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    with open("/proc/self/status") as fh:
        peak_kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({
    "cards": done,
    "seconds": time.perf_counter() - start,
    "peak_mb": peak_kb / 1024,
    "workers_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "rss_mb_samples": samples,
}))
"""


def rss(corpus: Path, n: int, jobs: int) -> dict[str, Any]:
    """Peak RSS of a fresh process streaming ``n`` cards through the batch pipeline."""
    proc = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(corpus), str(n), str(jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def profile(unique: list[str]) -> str:
    """pyinstrument's call tree of ours over the corpus (three passes)."""
    from pyinstrument import Profiler

    from modelcard_parser import parse_text

    for text in unique:
        parse_text(text)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(3):
        for text in unique:
            parse_text(text)
    profiler.stop()
    return str(profiler.output_text(unicode=False, color=False, show_all=False))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of *.md cards")
    ap.add_argument("--cards", type=int, default=10_000, help="cards per measurement (default 10000)")
    ap.add_argument("--jobs", type=int, default=2, help="workers of the parallel run (default 2)")
    ap.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="-j 1 / -j N rounds; the figure is the median of their ratios (default 5)",
    )
    ap.add_argument("--rss-cards", type=int, default=100_000, help="cards streamed for peak RSS")
    ap.add_argument("--rss-jobs", type=int, default=1, help="workers of the RSS run (default 1)")
    ap.add_argument("--skip-hub", action="store_true", help="do not time huggingface_hub")
    ap.add_argument("--skip-jobs", action="store_true", help="do not time -j")
    ap.add_argument("--skip-rss", action="store_true", help="do not measure peak RSS")
    ap.add_argument("--profile", action="store_true", help="print pyinstrument's profile of ours")
    args = ap.parse_args(argv)

    unique = _texts(args.corpus)
    rounds = max(1, -(-args.cards // len(unique)))
    n = rounds * len(unique)
    print(f"corpus: {args.corpus} ({len(unique)} cards, repeated to {n:,}); CPUs: {os.cpu_count()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    s = serial(unique, rounds, args.skip_hub)
    if not args.skip_hub:
        print(
            f"huggingface_hub ModelCard + eval_results: {s['hub_cps']:8,.0f} cards/s"
            f"  ({s['hub_errors']:,.0f} cards raised)"
        )
    print(f"modelcard-parser parse (no checks):        {s['ours_cps']:8,.0f} cards/s")
    if not args.skip_hub:
        print(f"ratio ours / hub:                          {s['ratio']:8.2f}x   (target >= 3)")
        print(
            f"  (CPU time: hub {s['hub_cpu_cps']:,.0f} cards/s, ours {s['ours_cpu_cps']:,.0f}, "
            f"{s['cpu_ratio']:.2f}x)"
        )

    if not args.skip_jobs:
        p = parallel(unique, n, args.jobs, max(1, args.rounds))
        j = args.jobs
        rounds, best, cards = p["batch"], _best(p["batch"]), _best(p["cards"])
        print(
            f"modelcard batch pipeline -j {j} / -j 1: {_median(rounds, 'jN', 'j1'):.2f}x"
            f"   (target >= 1.8; median of {len(rounds)} rounds)"
        )
        print(f"  ({_spread(rounds, 'jN', 'j1')})")
        print(f"  best rates: -j 1 {best['j1']:,.0f} cards/s, -j {j} {best['jN']:,.0f} cards/s")
        if "indep" in best:
            print(
                f"  this machine's ceiling, {j} independent processes with no pool:"
                f" {_median(rounds, 'indep', 'j1'):.2f}x of -j 1 (best {best['indep']:,.0f} cards/s)"
            )
            print(f"    ({_spread(rounds, 'indep', 'j1')})")
            print(f"  -j {j} / that ceiling: {_median(rounds, 'jN', 'indep'):.2f}")
            print(f"    ({_spread(rounds, 'jN', 'indep')})")
        print(
            f"parse_many (cards to parent) -j 1: {cards['j1']:8,.0f} cards/s, -j {j}: "
            f"{cards['jN']:8,.0f} cards/s, {cards['jN'] / cards['j1']:.2f}x"
        )

    if not args.skip_rss:
        r = rss(args.corpus, args.rss_cards, args.rss_jobs)
        workers = f", largest worker {r['workers_peak_mb']:.0f} MB" if args.rss_jobs > 1 else ""
        print(
            f"peak RSS streaming {r['cards']:,} cards (-j {args.rss_jobs}): {r['peak_mb']:.0f} MB{workers}"
            f"   (target < 300 MB; {r['seconds']:.0f} s)"
        )
        print(
            "  RSS along the way (cards: MB): " + ", ".join(f"{c:,}: {mb}" for c, mb in r["rss_mb_samples"])
        )
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    if args.profile:
        print(profile(unique))
    return 0


if __name__ == "__main__":
    sys.exit(main())
