"""Benchmark the allocation engine on generalized-assignment (GAP) instances.

    python -m teamwerk.allocation.bench /work/shared/bench/gap/chu1997 --time-limit 30 --summary
    python -m teamwerk.allocation.bench FILE... [--json] [--plain] [--best-known PATH]

One line per instance (or one JSON object with --json); ``--plain`` runs the textbook model
with CP-SAT's default parameters instead, for a side-by-side comparison.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from teamwerk.allocation.engine import (
    Person,
    Problem,
    SolverOptions,
    Task,
    solve_by_components,
)
from teamwerk.allocation.engine.gap import GapResult, read_orlibrary, solve_gap, solve_gap_plain

BEST_KNOWN_FILE = "best-known.csv"
_NOT_INSTANCES = {".md", ".csv", ".txt", ".json", ".py"}


@dataclass(frozen=True)
class Reference:
    key: str  # path relative to the best-known file, e.g. chu1997/c05100
    family: str
    best_known: float | None


def expand(paths: Iterable[str]) -> list[Path]:
    """Files as given; directories become their instance files, sorted, recursively."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix not in _NOT_INSTANCES
                and not p.name.startswith((".", "LICENSE"))
            )
        else:
            found.append(path)
    return found


def find_best_known_file(instance: Path) -> Path | None:
    for folder in instance.resolve().parents:
        candidate = folder / BEST_KNOWN_FILE
        if candidate.is_file():
            return candidate
    return None


def load_best_known(csv_path: Path) -> dict[str, tuple[str, float | None]]:
    """Relative instance path -> (dataset, best known value)."""
    table: dict[str, tuple[str, float | None]] = {}
    with csv_path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            value = (row.get("Best known solution value") or "").strip()
            table[row["Path"].strip()] = (
                (row.get("Dataset") or "").strip(),
                float(value) if value else None,
            )
    return table


def family_of(dataset: str, name: str) -> str:
    """cattrysse1994, chu1997-a … chu1997-d, yagiura2004-e: the families of the targets."""
    if dataset in ("chu1997", "yagiura2004") and name[:1].isalpha():
        return f"{dataset}-{name[0].lower()}"
    return dataset or "unknown"


def reference_for(
    instance: Path,
    explicit: Path | None,
    cache: dict[Path, dict[str, tuple[str, float | None]]],
) -> Reference:
    csv_path = explicit or find_best_known_file(instance)
    if csv_path is None:
        return Reference(instance.name, family_of(instance.parent.name, instance.name), None)
    if csv_path not in cache:
        cache[csv_path] = load_best_known(csv_path)
    table = cache[csv_path]
    try:
        key = instance.resolve().relative_to(csv_path.resolve().parent).as_posix()
    except ValueError:
        key = f"{instance.parent.name}/{instance.name}"
    if key not in table:  # e.g. --best-known pointing elsewhere: match on folder/name
        key = next((k for k in table if k.endswith(f"/{instance.name}")), key)
    dataset, best = table.get(key, (instance.parent.name, None))
    return Reference(key, family_of(dataset, instance.name), best)


def run_one(path: Path, time_limit: float, plain: bool, seed: int) -> GapResult:
    instance = read_orlibrary(path)
    if plain:
        return solve_gap_plain(instance, time_limit)
    return solve_gap(instance, time_limit, seed=seed)


def record(reference: Reference, result: GapResult | None, variant: str, error: str = "") -> dict:
    value = result.value if result else None
    best = reference.best_known
    gap_pct = None
    if value is not None and best:
        gap_pct = round(100.0 * (value - best) / abs(best), 4)
    row = {
        "instance": reference.key,
        "family": reference.family,
        "variant": variant,
        "value": value,
        "best_known": int(best) if best is not None and best.is_integer() else best,
        "gap_pct": gap_pct,
        "seconds": round(result.seconds, 3) if result else None,
        "status": result.status if result else "invalid",
        "bound": round(result.bound, 3) if result and result.bound is not None else None,
    }
    if error:
        row["error"] = error
    return row


def format_row(row: dict) -> str:
    gap = "-" if row["gap_pct"] is None else f"{row['gap_pct']:.3f}%"
    seconds = "-" if row["seconds"] is None else f"{row['seconds']:.2f}s"
    return (
        f"{row['instance']:<28} {row['variant']:<6} value={row['value']} "
        f"best={row['best_known']} gap={gap} time={seconds} {row['status']}"
        + (f" error={row['error']}" if "error" in row else "")
    )


def summarise(rows: Sequence[dict]) -> list[dict]:
    by_family: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by_family.setdefault((row["family"], row["variant"]), []).append(row)
    summary = []
    for (family, variant), group in sorted(by_family.items()):
        gaps = [r["gap_pct"] for r in group if r["gap_pct"] is not None]
        times = [r["seconds"] for r in group if r["seconds"] is not None]
        summary.append(
            {
                "family": family,
                "variant": variant,
                "instances": len(group),
                "optimal": sum(r["status"] == "optimal" for r in group),
                "at_best_known": sum(g <= 0 for g in gaps),
                "mean_gap_pct": round(statistics.fmean(gaps), 4) if gaps else None,
                "max_gap_pct": round(max(gaps), 4) if gaps else None,
                "mean_seconds": round(statistics.fmean(times), 3) if times else None,
                "max_seconds": round(max(times), 3) if times else None,
            }
        )
    return summary


def format_summary(item: dict) -> str:
    return (
        f"# {item['family']:<14} {item['variant']:<6} n={item['instances']} "
        f"optimal={item['optimal']} at_best={item['at_best_known']} "
        f"gap mean={item['mean_gap_pct']}% max={item['max_gap_pct']}% "
        f"time mean={item['mean_seconds']}s max={item['max_seconds']}s"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m teamwerk.allocation.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("paths", nargs="*", help="instance files or directories")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per instance")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--plain", action="store_true", help="plain CP-SAT, textbook model, default parameters"
    )
    parser.add_argument("--summary", action="store_true", help="mean/max gap and time per family")
    parser.add_argument("--best-known", type=Path, default=None, help="path to best-known.csv")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--synthetic-schools",
        type=int,
        default=0,
        metavar="N",
        help="instead: a school group of N schools × 50 people × 60 tasks, solved per school",
    )
    return parser.parse_args(argv)


def synthetic_group(schools: int, people: int = 50, tasks: int = 60, seed: int = 0) -> Problem:
    """A school group at the product's target size: each school's tasks use its own staff."""
    rng = random.Random(seed)
    all_tasks, all_people, fit, current = [], [], {}, {}
    for school in range(schools):
        staff = [f"s{school}-p{i}" for i in range(people)]
        all_people += [
            Person(pid, rng.choice([0, 2, 4, 6, 8, 12]), qualified=rng.random() < 0.6)
            for pid in staff
        ]
        allowed = frozenset(staff)
        for j in range(tasks):
            tid = f"s{school}-t{j}"
            all_tasks.append(
                Task(
                    tid,
                    rng.choice([0.5, 1, 2, 3, 4, 6]),
                    needs_backup=rng.random() < 0.5,
                    needs_qualification=rng.random() < 0.2,
                    allowed=allowed,
                )
            )
            fit.update({(pid, tid): rng.randint(0, 100) for pid in staff})
            if rng.random() < 0.7:
                current[tid] = (rng.choice(staff), (rng.choice(staff),))
    return Problem(tuple(all_tasks), tuple(all_people), fit=fit, current=current)


def run_synthetic(schools: int, time_limit: float, seed: int, as_json: bool) -> None:
    started = time.perf_counter()
    problem = synthetic_group(schools, seed=seed)
    built = time.perf_counter() - started
    options = SolverOptions(time_limit_s=time_limit, seed=seed, num_workers=1)
    solution = solve_by_components(problem, options)
    row = {
        "instance": f"synthetic-{schools}-schools",
        "variant": "components",
        "people": len(problem.people),
        "tasks": len(problem.tasks),
        "status": solution.status,
        "objective": solution.objective,
        "gap_pct": None if solution.gap_pct is None else round(solution.gap_pct, 4),
        "uncovered_slots": len(solution.uncovered),
        "seconds": round(solution.wall_time_s, 2),
        "generate_seconds": round(built, 2),
    }
    print(json.dumps(row) if as_json else " ".join(f"{k}={v}" for k, v in row.items()))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.synthetic_schools:
        run_synthetic(args.synthetic_schools, args.time_limit, args.seed, args.json)
        return 0
    variant = "plain" if args.plain else "engine"
    cache: dict[Path, dict[str, tuple[str, float | None]]] = {}
    rows = []
    for path in expand(args.paths):
        reference = reference_for(path, args.best_known, cache)
        try:
            row = record(reference, run_one(path, args.time_limit, args.plain, args.seed), variant)
        except (OSError, ValueError, IndexError) as error:
            row = record(reference, None, variant, error=str(error))
        rows.append(row)
        print(json.dumps(row) if args.json else format_row(row), flush=True)
    if args.summary:
        for item in summarise(rows):
            print(json.dumps({"summary": True, **item}) if args.json else format_summary(item))
    return 0


if __name__ == "__main__":
    sys.exit(main())
