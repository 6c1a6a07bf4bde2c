"""`python -m bench [--quick] [--only NAME ...] [--profile NAME]`: run, print, write JSON."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path

from bench.config import README_PATH, RESULTS_PATH, full_config, quick_config
from bench.registry import BENCHMARKS, run_benchmark
from bench.results import BenchResult, render_table, update_readme, write_json
from bot.i18n_tools import compile_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a 10 s rated window")
    parser.add_argument(
        "--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME", help="run only these"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="where to write the JSON (default bench/results.json; quick: bench/.cache/)",
    )
    parser.add_argument(
        "--profile",
        choices=list(BENCHMARKS),
        help="run one benchmark under pyinstrument and print where the time goes",
    )
    args = parser.parse_args(argv)
    # Handlers log one line per event: at benchmark rates that is the cost being measured.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    config = quick_config() if args.quick else full_config()
    # As `make bench` does: measure the catalogs as they are in the tree.
    compile_all()
    if args.profile:
        return _profile(args.profile, config)
    names = args.only or list(BENCHMARKS)
    results: list[BenchResult] = []
    for name in names:
        started = time.perf_counter()
        print(f"running {name}…", file=sys.stderr, flush=True)
        result = asyncio.run(run_benchmark(name, config))
        print(f"  {name} took {time.perf_counter() - started:.0f} s", file=sys.stderr)
        results.append(result)
    print(render_table(results))
    for result in results:
        for note in result.notes:
            print(f"- {result.title}: {note}")
    output = args.output or (
        RESULTS_PATH if config.mode == "full" else config.cache_dir / "results-quick.json"
    )
    write_json(output, results, mode=config.mode)
    print(f"wrote {output}", file=sys.stderr)
    if config.update_readme and args.only is None and args.output is None:
        update_readme(README_PATH, results)
    # A missed target is a finding for the README, not a failed command.
    return 0


def _profile(name: str, config: object) -> int:
    from pyinstrument import Profiler

    from bench.config import BenchConfig

    assert isinstance(config, BenchConfig)
    profiler = Profiler(async_mode="enabled")
    with profiler:
        result = asyncio.run(run_benchmark(name, config))
    print(render_table([result]))
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
