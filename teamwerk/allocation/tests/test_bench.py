"""The GAP benchmark command: parsing, best-known lookup and one real OR-Library instance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from teamwerk.allocation import bench
from teamwerk.allocation.engine.gap import (
    is_feasible,
    parse_orlibrary,
    read_orlibrary,
    solve_gap,
    total_cost,
)

# ``shared/`` lies beside the repository root (CI copies it there too).
REPO_ROOT = Path(__file__).resolve().parents[3]
GAP_DIR = REPO_ROOT.parent / "shared" / "bench" / "gap"
GAP1_0 = GAP_DIR / "cattrysse1994" / "gap1-0"

# 2 agents, 3 jobs; optimum: jobs 0 and 2 to agent 0, job 1 to agent 1, cost 1 + 2 + 1 = 4.
TINY = """2 3
1 5 1
4 2 3
2 3 2
3 2 2
4 3
"""


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    family = tmp_path / "toy"
    family.mkdir()
    (family / "tiny1").write_text(TINY)
    (tmp_path / "best-known.csv").write_text(
        "Path,Format,Dataset,Item number,Agent number,Best known bound,Optimum,"
        "Best known solution value\ntoy/tiny1,orlibrary,toy,3,2,4,4,4\n"
    )
    (family / "README.md").write_text("not an instance")
    return tmp_path


def test_parse_small_file(tiny_dir: Path):
    instance = read_orlibrary(tiny_dir / "toy" / "tiny1")
    assert (instance.agents, instance.jobs) == (2, 3)
    assert instance.cost == ((1, 5, 1), (4, 2, 3))
    assert instance.weight == ((2, 3, 2), (3, 2, 2))
    assert instance.capacity == (4, 3)


def test_parse_rejects_short_input():
    with pytest.raises(ValueError):
        parse_orlibrary("2 3\n1 2 3")


def test_tiny_instance_solved_by_engine_and_plain(tiny_dir: Path, capsys):
    result = solve_gap(read_orlibrary(tiny_dir / "toy" / "tiny1"), 5)
    assert (result.status, result.value, result.assignment) == ("optimal", 4, (0, 1, 0))
    assert bench.main([str(tiny_dir), "--json", "--plain", "--time-limit", "5"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        {
            "instance": "toy/tiny1",
            "family": "toy",
            "variant": "plain",
            "value": 4,
            "best_known": 4,
            "gap_pct": 0.0,
            "seconds": rows[0]["seconds"],
            "status": "optimal",
            "bound": 4.0,
        }
    ]


def test_directories_expand_to_instance_files(tiny_dir: Path):
    assert [p.name for p in bench.expand([str(tiny_dir)])] == ["tiny1"]


def test_explicit_best_known_and_summary(tiny_dir: Path, tmp_path_factory, capsys):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "tiny1"
    elsewhere.write_text(TINY)
    args = [
        str(elsewhere),
        "--best-known",
        str(tiny_dir / "best-known.csv"),
        "--summary",
        "--time-limit",
        "5",
    ]
    assert bench.main(args) == 0
    out = capsys.readouterr().out
    assert "best=4 gap=0.000%" in out
    assert "# toy" in out and "gap mean=0.0% max=0.0%" in out


def test_unreadable_instance_is_reported_not_raised(tmp_path: Path, capsys):
    broken = tmp_path / "broken"
    broken.write_text("2 3 1")
    assert bench.main([str(broken), "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["status"] == "invalid" and "error" in row


def test_gap1_0_reaches_best_known(capsys):
    assert bench.main([str(GAP1_0), "--json", "--time-limit", "10"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["instance"] == "cattrysse1994/gap1-0"
    assert row["family"] == "cattrysse1994"
    assert (row["value"], row["best_known"], row["status"]) == (261, 261, "optimal")
    assert row["gap_pct"] == 0.0
    assert row["variant"] == "engine"


def test_engine_solution_is_a_valid_gap_assignment():
    instance = read_orlibrary(GAP1_0)
    result = solve_gap(instance, 10)
    assert is_feasible(instance, result.assignment)
    assert total_cost(instance, result.assignment) == result.value == 261


def test_shared_set_is_found_beside_the_repository():
    assert (GAP_DIR / "best-known.csv").is_file()
    assert GAP1_0.is_file()


def test_compare_prints_engine_and_plain_side_by_side(tiny_dir: Path, capsys):
    assert bench.main([str(tiny_dir), "--compare", "--time-limit", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("toy/tiny1")
    assert "engine=4 (0.000%" in out[0] and "plain=4 (0.000%" in out[0]
    assert "engine-plain=+0.000" in out[0]
    assert any(line.startswith("# toy") and "engine" in line for line in out)
    assert any(line.startswith("# toy") and "plain" in line for line in out)
    assert out[-1] == "# engine more than 0.1 point worse than plain: none"


def test_comparison_summary_names_instances_where_the_engine_is_worse():
    rows = [
        {"instance": "x/a", "family": "x", "variant": "engine", "gap_pct": 0.5},
        {"instance": "x/a", "family": "x", "variant": "plain", "gap_pct": 0.2},
        {"instance": "x/b", "family": "x", "variant": "engine", "gap_pct": 0.0},
        {"instance": "x/b", "family": "x", "variant": "plain", "gap_pct": 0.05},
    ]
    for row in rows:
        row.update(status="feasible", seconds=1.0)
    lines = bench.comparison_summary(rows)
    assert lines[-1] == "# engine more than 0.1 point worse than plain: x/a (+0.300)"


def test_trace_figures_first_solution_within_one_percent_and_final_gap():
    trace = [(0.5, 130.0), (2.0, 104.0), (3.0, 100.5)]
    first, within, final = bench.trace_figures(trace, 100.0)
    assert (first, within) == (0.5, 3.0)
    assert final == pytest.approx(0.5)
    assert bench.trace_figures([], 100.0) == (None, None, None)
    assert bench.trace_figures(trace, None) == (0.5, None, None)
