"""Every benchmark's code path at its smallest size: correctness only, no timing targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import site_build
from bench.config import BenchConfig, smoke_config
from bench.registry import BENCHMARKS, run_benchmark
from bench.results import BenchResult, Figure, Target, render_table, update_readme
from bench.stats import percentile


@pytest.fixture
def config(tmp_path: Path) -> BenchConfig:
    return smoke_config(tmp_path / "cache")


def figure(result: BenchResult, metric: str) -> Figure:
    return next(item for item in result.figures if item.metric.startswith(metric))


async def test_throughput_walks_every_family_through_the_whole_report(
    config: BenchConfig,
) -> None:
    result = await run_benchmark("throughput", config)
    assert figure(result, "Vigía").value > 0
    # Vigía does strictly more than echo for each update: the ratio can only exceed 1.
    assert figure(result, "per-update cost vs echo").value > 1
    assert figure(result, "processing only vs echo (median").value > 1
    rounds = result.config["round_processing_ratios"]
    assert len(rounds) == config.throughput_rounds
    assert figure(result, "processing only vs echo, worst").value == max(rounds)


async def test_surge_stores_every_report_exactly_once(config: BenchConfig) -> None:
    result = await run_benchmark("surge", config)
    assert figure(result, "reports stored exactly once").value == config.surge_families
    assert result.config["updates"] == config.surge_families * result.config["steps"]
    assert figure(result, "p50").value <= figure(result, "p99").value


async def test_surge_under_limits_tells_the_moderators_of_every_report_once(
    config: BenchConfig,
) -> None:
    result = await run_benchmark("surge_limits", config)
    assert figure(result, "reports lost or told twice").value == 0
    variants = result.config["variants"]
    assert {name: v["reports_told"] for name, v in variants.items()} == {
        "group": config.limits_families,
        "no group": config.limits_families,
        "group + broadcast": config.limits_families,
    }
    assert variants["group + broadcast"]["broadcast_messages_sent"] > 0
    assert figure(result, "Confirm p50").value <= figure(result, "Confirm p99").value


async def test_chat_expiry_empties_every_chat_in_the_fewest_calls(config: BenchConfig) -> None:
    result = await run_benchmark("chat_expiry", config)
    assert result.config["deleted"] == config.expiry_messages
    assert figure(result, "calls per chat per 100 messages").value == 1.0
    assert result.config["expiring"]["delete_calls"] >= config.expiry_chats
    assert result.config["quiet"]["delete_calls"] == 0
    assert result.config["answers_per_variant"] > 0


async def test_outbox_delivers_to_every_subscriber(config: BenchConfig) -> None:
    result = await run_benchmark("outbox", config)
    assert figure(result, "unthrottled").value > 0
    assert result.config["rated_msgs_per_s"] > 0


async def test_duplicate_search_finds_the_case_when_the_cedula_is_given(
    config: BenchConfig,
) -> None:
    result = await run_benchmark("duplicates", config)
    found = figure(result, "with the cédula")
    assert found.value == int(found.unit.removeprefix("of "))
    assert result.config["cases_indexed"] > 0


async def test_figures_answer_cifras_cold_and_warm(config: BenchConfig) -> None:
    result = await run_benchmark("figures", config)
    assert result.config["queries"] == config.figures_queries


async def test_memory_probes_report_both_peaks(config: BenchConfig) -> None:
    result = await run_benchmark("memory", config)
    assert figure(result, "peak RSS, Vigía").value > 0
    assert figure(result, "peak RSS, echo bot").value > 0
    assert result.config["vigia"]["broadcast_sent"] == config.memory_subscribers


async def test_bypasses_measure_each_variant_and_say_if_a_family_could_feel_it(
    config: BenchConfig,
) -> None:
    result = await run_benchmark("bypasses", config)
    for variant in ("shipped", "raw sendMessage", "GC tuning"):
        assert figure(result, f"{variant}: mean per update").value > 0
    assert set(result.config["felt"]) == {"lean", "gc"}
    assert len(result.notes) == 2 and all("could feel it" in note for note in result.notes)


def test_every_benchmark_is_covered_here() -> None:
    assert set(BENCHMARKS) == {
        "throughput",
        "surge",
        "surge_limits",
        "chat_expiry",
        "outbox",
        "duplicates",
        "figures",
        "memory",
        "bypasses",
        "site",
    }


def test_nearest_rank_percentile_is_a_real_sample() -> None:
    samples = [float(value) for value in range(1, 101)]
    assert percentile(samples, 0.99) == 99.0
    assert percentile(samples, 0.5) == 50.0


def test_the_table_marks_missed_targets_and_goes_into_the_readme(tmp_path: Path) -> None:
    result = BenchResult("x", "1. Example")
    result.add("ratio", 3.0, "×", Target(2.5))
    result.add("count", 1000, "", Target(1000, at_most=False))
    table = render_table([result])
    assert "| 1. Example | ratio  | 3.00×" in table
    assert "≤ 2.50× | NO " in table
    assert "| 1,000 " in table
    readme = tmp_path / "README.md"
    readme.write_text("before\n<!-- bench-table:start -->\nold\n<!-- bench-table:end -->\nafter\n")
    assert update_readme(readme, [result])
    text = readme.read_text()
    assert "old" not in text and table in text and text.endswith("after\n")


async def test_the_site_benchmark_builds_the_site_of_the_store(config: BenchConfig) -> None:
    result = await run_benchmark("site", config)
    assert figure(result, "build after a verified change, median").value > 0
    assert figure(result, "build after a change vs cold /cifras").value > 0
    assert figure(result, "first build vs cold /cifras").value > 1
    # Each build after the first rewrote only the released case's row.
    assert result.config["rows_written"] == [1] * site_build.REBUILDS
    # One case in a hundred is published by name; the page lists the releases.
    assert result.config["consented"] == config.figures_cases // 100
    assert result.config["figures"] > 20
    assert result.config["table_rows"] > 100
