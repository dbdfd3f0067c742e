"""Benchmark the allocation engine on generalized-assignment (GAP) instances.

    python -m teamwerk.allocation.bench ../shared/bench/gap/chu1997 --time-limit 30 --summary
    python -m teamwerk.allocation.bench FILE... [--json] [--plain] [--best-known PATH]
    python -m teamwerk.allocation.bench DIR... --compare --time-limit 30
    python -m teamwerk.allocation.bench --scaling --time-limit 10

One line per instance (or one JSON object with --json); ``--plain`` runs the textbook model
with CP-SAT's default parameters instead. ``--compare`` runs both on each instance, one
after the other (same time limit, same number of workers), and prints them side by side.
``--scaling`` solves one problem of each size (people × tasks: a school of 80 × 200, a
pool of 500 × 1,000 and 2,500 × 3,000, a GAP of 80 × 1,600) and reports the time to the
first solution, the time to within 1 % of the final bound and the final gap.
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
    solve,
    solve_by_components,
)
from teamwerk.allocation.engine.gap import (
    GapInstance,
    GapResult,
    read_orlibrary,
    solve_gap,
    solve_gap_plain,
)

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


def run_one(path: Path, time_limit: float, plain: bool, seed: int, workers: int = 2) -> GapResult:
    instance = read_orlibrary(path)
    if plain:
        return solve_gap_plain(instance, time_limit, num_workers=workers, seed=seed)
    return solve_gap(instance, time_limit, seed=seed, num_workers=workers)


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
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (both variants)")
    parser.add_argument(
        "--compare", action="store_true", help="engine and plain side by side on each instance"
    )
    parser.add_argument(
        "--scaling", action="store_true", help="the scaling series instead of instance files"
    )
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


def compare(args: argparse.Namespace) -> list[dict]:
    """Engine then plain on each instance, interleaved, so both see the same machine load."""
    cache: dict[Path, dict[str, tuple[str, float | None]]] = {}
    rows: list[dict] = []
    for path in expand(args.paths):
        reference = reference_for(path, args.best_known, cache)
        pair = []
        for plain in (False, True):
            variant = "plain" if plain else "engine"
            try:
                result = run_one(path, args.time_limit, plain, args.seed, args.workers)
                pair.append(record(reference, result, variant))
            except (OSError, ValueError, IndexError) as error:
                pair.append(record(reference, None, variant, error=str(error)))
        rows.extend(pair)
        if args.json:
            for row in pair:
                print(json.dumps(row), flush=True)
        else:
            print(format_pair(*pair), flush=True)
    return rows


def format_pair(engine: dict, plain: dict) -> str:
    def gap(row: dict) -> str:
        return "-" if row["gap_pct"] is None else f"{row['gap_pct']:.3f}%"

    difference = "-"
    if engine["gap_pct"] is not None and plain["gap_pct"] is not None:
        difference = f"{engine['gap_pct'] - plain['gap_pct']:+.3f}"
    return (
        f"{engine['instance']:<24} best={engine['best_known']} "
        f"engine={engine['value']} ({gap(engine)}, {engine['seconds']}s, {engine['status']}) "
        f"plain={plain['value']} ({gap(plain)}, {plain['seconds']}s, {plain['status']}) "
        f"engine-plain={difference}"
    )


def comparison_summary(rows: Sequence[dict]) -> list[str]:
    """Per family: both mean gaps and the instances where the engine is > 0.1 point worse."""
    lines = [format_summary(item) for item in summarise(rows)]
    by_instance: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_instance.setdefault(row["instance"], {})[row["variant"]] = row
    worse = [
        f"{key} ({pair['engine']['gap_pct'] - pair['plain']['gap_pct']:+.3f})"
        for key, pair in by_instance.items()
        if {"engine", "plain"} <= pair.keys()
        and pair["engine"]["gap_pct"] is not None
        and pair["plain"]["gap_pct"] is not None
        and pair["engine"]["gap_pct"] - pair["plain"]["gap_pct"] > 0.1
    ]
    lines.append("# engine more than 0.1 point worse than plain: " + (", ".join(worse) or "none"))
    return lines


# --------------------------------------------------------------------- scaling series


def pooled_problem(people: int, tasks: int, *, pool: int | None, seed: int = 0) -> Problem:
    """One component of ``people`` × ``tasks``: each task open to ``pool`` random people
    (a group-level pool; None = everyone, as in one school), half the tasks with a back-up."""
    rng = random.Random(seed)
    ids = [f"p{i}" for i in range(people)]
    staff = tuple(
        Person(pid, rng.choice([2, 4, 6, 8, 12, 16]), qualified=rng.random() < 0.6) for pid in ids
    )
    all_tasks, fit, current = [], {}, {}
    for j in range(tasks):
        tid = f"t{j}"
        allowed = frozenset(rng.sample(ids, pool)) if pool else None
        candidates = sorted(allowed) if allowed else ids
        all_tasks.append(
            Task(
                tid,
                rng.choice([0.5, 1, 2, 3, 4]),
                needs_backup=rng.random() < 0.5,
                needs_qualification=rng.random() < 0.1,
                allowed=allowed,
            )
        )
        fit.update({(pid, tid): rng.randint(0, 100) for pid in candidates})
        if rng.random() < 0.7:
            current[tid] = (rng.choice(candidates), ())
    return Problem(tuple(all_tasks), staff, fit=fit, current=current)


def random_gap(agents: int, jobs: int, seed: int = 0) -> GapInstance:
    """A type-D-like GAP (cost falls as resource use rises), capacity 80 % of an even share."""
    rng = random.Random(seed)
    weight = [[rng.randint(1, 100) for _ in range(jobs)] for _ in range(agents)]
    cost = [[111 - w + rng.randint(-10, 10) for w in row] for row in weight]
    capacity = tuple(int(0.8 * sum(row) / agents) for row in weight)
    return GapInstance(
        f"gap-{agents}x{jobs}",
        tuple(tuple(row) for row in cost),
        tuple(tuple(row) for row in weight),
        capacity,
    )


def trace_figures(
    trace: Sequence[tuple[float, float]], bound: float | None
) -> tuple[float | None, float | None, float | None]:
    """Time to the first solution, time to within 1 % of ``bound``, final gap (%)."""
    if not trace:
        return None, None, None
    first = trace[0][0]
    if bound is None:
        return first, None, None

    def gap(value: float) -> float:
        return 100.0 * abs(value - bound) / max(abs(bound), 1e-9)

    within = next((at for at, value in trace if gap(value) <= 1.0), None)
    return first, within, gap(trace[-1][1])


SERIES: tuple[tuple[str, int, int, int | None], ...] = (
    ("school", 80, 200, None),
    ("pool", 500, 1_000, 40),
    ("pool", 2_500, 3_000, 40),
    ("pool", 3_000, 5_000, 40),
)


def run_series(time_limit: float, seed: int, as_json: bool, workers: int = 1) -> list[dict]:
    rows = []
    for kind, people, tasks, pool in SERIES:
        problem = pooled_problem(people, tasks, pool=pool, seed=seed)
        options = SolverOptions(time_limit_s=time_limit, seed=seed, num_workers=workers)
        solution = solve(problem, options)
        first, within, final = trace_figures(solution.trace, solution.best_bound)
        rows.append(
            _series_row(
                f"{kind} {people}x{tasks}",
                time_limit,
                solution.status,
                solution.wall_time_s,
                first,
                within,
                final,
            )
        )
    instance = random_gap(80, 1_600, seed)
    result = solve_gap(instance, time_limit, seed=seed, num_workers=max(1, workers))
    first, within, final = trace_figures(result.trace, result.bound)
    rows.append(
        _series_row("gap 80x1600", time_limit, result.status, result.seconds, first, within, final)
    )
    for row in rows:
        if as_json:
            print(json.dumps(row), flush=True)
        else:
            print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    return rows


def _series_row(name, limit, status, seconds, first, within, final) -> dict:
    def rounded(value: float | None, digits: int = 2) -> float | None:
        return None if value is None else round(value, digits)

    return {
        "problem": name,
        "limit_s": limit,
        "status": status,
        "seconds": rounded(seconds),
        "within_limit_plus_1s": seconds <= limit + 1.0,
        "first_solution_s": rounded(first),
        "within_1pct_s": rounded(within),
        "final_gap_pct": rounded(final, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.scaling:
        run_series(args.time_limit, args.seed, args.json, args.workers)
        return 0
    if args.compare:
        rows = compare(args)
        for line in comparison_summary(rows):
            print(line)
        return 0
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
