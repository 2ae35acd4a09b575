"""Mutation score of the core areas, each measured against its own tests.

    .venv/bin/python tools/mutation.py insights       # one area
    .venv/bin/python tools/mutation.py all            # every area, one after the other
    .venv/bin/python tools/mutation.py scoring --show # also print each survivor's diff
    .venv/bin/python tools/mutation.py parsing --keep # reuse the last run's results

Each area runs mutmut in its own working directory, `mutants/<area>/`, with a
`pyproject.toml` generated from the project's (pytest settings as they are) plus a
`[tool.mutmut]` section naming the area's files and tests, so areas never share a cache
and the project's own configuration is left alone. mutmut runs one child process at a
time (`--max-children 1`, the machine is shared).

The score is detected / (mutants - equivalent), where detected counts the mutants a test
killed or that timed out, and equivalent mutants (a change no test can observe because
the behaviour is the same) are listed with a reason in `tools/mutation_equivalent.txt`.
A listed mutant that a test now kills, or that no longer exists, is reported as stale:
mutant names are numbered within their function, so editing a function renumbers them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "mutants"
EQUIVALENT_FILE = ROOT / "tools" / "mutation_equivalent.txt"
MUTMUT = ROOT / ".venv" / "bin" / "mutmut"
TARGET = 0.90


@dataclass(frozen=True)
class Area:
    name: str
    sources: tuple[str, ...]  # files mutated (paths from the project root)
    tests: tuple[str, ...]  # the area's own tests (pytest paths)
    first: tuple[str, ...] = ()  # its unit tests, run before the others (mutation_order.py)


AREAS = {
    area.name: area
    for area in (
        Area(
            "insights",
            sources=(
                "src/openkam/insights/arrays.py",
                "src/openkam/insights/classes.py",
                "src/openkam/insights/concentration.py",
                "src/openkam/insights/rfm.py",
                "src/openkam/insights/rollup.py",
                "src/openkam/insights/scoring.py",
            ),
            tests=("src/openkam/insights/tests",),
        ),
        Area(
            "visibility",
            sources=("src/openkam/users/permissions.py", "src/openkam/accounts/access.py"),
            tests=("src/openkam/users/tests", "tests/test_permission_matrix.py"),
            first=(
                "src/openkam/users/tests/test_access_rules.py",
                "src/openkam/users/tests/test_visibility.py",
                "src/openkam/users/tests/test_deputies.py",
            ),
        ),
        Area(
            "scoring",
            sources=(
                "src/openkam/portfolio/scoring.py",
                "src/openkam/portfolio/compute.py",
                "src/openkam/portfolio/ledger_figures.py",
                "src/openkam/ledger/periods.py",
            ),
            tests=("src/openkam/portfolio/tests", "src/openkam/ledger/tests/test_periods.py"),
            first=(
                "src/openkam/ledger/tests/test_periods.py",
                "src/openkam/portfolio/tests/test_compute.py",
                "src/openkam/portfolio/tests/test_scoring_rules.py",
                "src/openkam/portfolio/tests/test_recompute",
            ),
        ),
        Area(
            "reviews",
            sources=(
                "src/openkam/portfolio/reviews/rebalance.py",
                "src/openkam/portfolio/reviews/reasons.py",
            ),
            tests=(
                "src/openkam/portfolio/reviews/tests/test_rebalance.py",
                "src/openkam/portfolio/reviews/tests/test_reasons.py",
                "src/openkam/portfolio/reviews/tests/test_reviews.py",
            ),
            first=(
                "src/openkam/portfolio/reviews/tests/test_reasons.py",
                "src/openkam/portfolio/reviews/tests/test_rebalance.py",
            ),
        ),
        Area(
            "credit",
            sources=("src/openkam/credit/assessment.py", "src/openkam/sales/services.py"),
            tests=("src/openkam/credit/tests", "src/openkam/sales/tests"),
            first=("src/openkam/credit/tests/test_assessment.py",),
        ),
        Area(
            "snapshots",
            sources=(
                "src/openkam/receivables/snapshots.py",
                "src/openkam/ingest/importers/open_items.py",
            ),
            tests=(
                "src/openkam/ingest/tests/test_open_items.py",
                "src/openkam/receivables/tests/test_snapshot_pages.py",
            ),
            first=("src/openkam/ingest/tests/test_open_items.py",),
        ),
        Area(
            "opportunities",
            sources=(
                "src/openkam/opportunities/services.py",
                "src/openkam/opportunities/selectors.py",
                "src/openkam/opportunities/whitespace.py",
            ),
            tests=("src/openkam/opportunities/tests",),
            first=("src/openkam/opportunities/tests/test_opportunities.py",),
        ),
        Area(
            "proposals",
            sources=(
                "src/openkam/proposals/approval_rules.py",
                "src/openkam/proposals/approval_flow.py",
                "src/openkam/proposals/facts.py",
                "src/openkam/proposals/services.py",
                "src/openkam/proposals/outcomes.py",
            ),
            tests=("src/openkam/proposals/tests",),
            first=("src/openkam/proposals/tests/test_flow.py",),
        ),
        Area(
            "promotions",
            sources=(
                "src/openkam/promotions/maths.py",
                "src/openkam/promotions/stacking.py",
                "src/openkam/promotions/selectors.py",
            ),
            tests=("src/openkam/promotions/tests",),
            first=("src/openkam/promotions/tests/test_maths.py",),
        ),
        Area(
            "tenders",
            sources=("src/openkam/tenders/services.py", "src/openkam/tenders/selectors.py"),
            tests=("src/openkam/tenders/tests",),
        ),
        Area(
            "returns",
            sources=("src/openkam/returns/selectors.py", "src/openkam/returns/refusals.py"),
            tests=("src/openkam/returns/tests",),
        ),
        Area(
            "parsing",
            sources=("src/openkam/ingest/parsing.py",),
            tests=("src/openkam/ingest/tests",),
            first=("src/openkam/ingest/tests/test_parsing",),
        ),
    )
}

# Copied into each area's working directory: what the tests import or read.
LINKED = ("src", "tests", "conftest.py", "docs")


def mutmut_section(area: Area) -> str:
    tests = [path for path in area.tests if (ROOT / path).exists()]
    lines = [
        "",
        "[tool.mutmut]",
        'source_paths = ["src"]',
        f"only_mutate = {_toml_list(area.sources)}",
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}",
        # Same examples every run, so a mutant's verdict does not depend on luck.
        # A file database kept between mutants: migrating a fresh one costs ~6 s a mutant.
        'pytest_add_cli_args = ["--hypothesis-seed=0", "-p", "no:cacheprovider", "--reuse-db",'
        ' "-p", "mutation_order"]',
        # The area's unit tests before the page-level ones (see tools/mutation_order.py).
        # Some tests import the sample files in docs/samples.
        'also_copy = ["conftest.py", "mutation_order.py", "docs"]',
        # A mutant's wall-clock limit is (time of its tests + this) x 15: the constant covers
        # pytest and Django starting in the child on a busy machine (1 s gave false timeouts).
        "timeout_constant = 10.0",
        # Fork each mutant from a process that never opened the test database: a child
        # forked from one that ran the suite inherits its SQLite connection and can wait on
        # its locks until the timeout, which would count a survivor as killed.
        'process_isolation = "forkserver"',
        # Judge mutants by the area's tests, not by a type checker.
        "type_check_command = []",
        "use_git_change_detection = false",
    ]
    return "\n".join(lines) + "\n"


def _toml_list(items) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def prepare(area: Area, keep: bool) -> Path:
    """The area's working directory: links to the project and its own pyproject.toml."""
    workdir = WORK / area.name
    if workdir.exists() and not keep:
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = workdir / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    shutil.copy2(ROOT / "tools" / "mutation_order.py", workdir / "mutation_order.py")
    project = (ROOT / "pyproject.toml").read_text("utf-8")
    # The project's own [tool.mutmut], if any, would be read first: leave it out here.
    project = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", project)
    (workdir / "pyproject.toml").write_text(project + mutmut_section(area), "utf-8")
    if keep:
        # mutmut copies a source file only when its copy is missing: refresh the tests.
        for test_path in area.tests:
            copy = workdir / "mutants" / test_path
            if copy.exists():
                shutil.rmtree(copy) if copy.is_dir() else copy.unlink()
    return workdir


def run_mutmut(area: Area, workdir: Path) -> None:
    env = dict(os.environ)
    env.setdefault("KAM_SECRET_KEY", "tests-only-secret-key")
    env["KAM_VAR_DIR"] = str(workdir / "var")
    env["KAM_TEST_SQLITE_NAME"] = str(workdir / "test-db.sqlite3")
    env["MUTATION_FIRST"] = ",".join(area.first)
    log = workdir / "mutmut.log"
    print(f"[{area.name}] mutmut run --max-children 1 (log: {log.relative_to(ROOT)})", flush=True)
    with open(log, "w") as handle:
        result = subprocess.run(
            [str(MUTMUT), "run", "--max-children", "1"],
            cwd=workdir,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        tail = log.read_text("utf-8", errors="replace")[-3000:]
        sys.exit(f"[{area.name}] mutmut failed ({result.returncode}):\n{tail}")


def results(workdir: Path) -> dict[str, str]:
    """{mutant name: status} for every mutant of the area."""
    output = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for line in output.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name:
            found[name] = status
    return found


def equivalent_mutants() -> dict[str, str]:
    """{mutant name: reason} from tools/mutation_equivalent.txt."""
    listed = {}
    if not EQUIVALENT_FILE.exists():
        return listed
    for raw in EQUIVALENT_FILE.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        listed[name] = reason.strip()
    return listed


def module_of(path: str) -> str:
    return path.removeprefix("src/").removesuffix(".py").replace("/", ".")


DETECTED = {"killed", "timeout", "caught by type check", "segfault"}


@dataclass
class Score:
    area: str
    total: int
    detected: int
    equivalent: list[str]
    survivors: list[tuple[str, str]]
    stale: list[str]

    @property
    def counted(self) -> int:
        return self.total - len(self.equivalent)

    @property
    def value(self) -> float:
        return self.detected / self.counted if self.counted else 1.0


def score(area: Area, found: dict[str, str], listed: dict[str, str]) -> Score:
    modules = tuple(module_of(path) + "." for path in area.sources)
    mine = {name: status for name, status in found.items() if name.startswith(modules)}
    detected = [name for name, status in mine.items() if status in DETECTED]
    equivalent = [name for name in mine if name in listed and mine[name] not in DETECTED]
    survivors = [
        (name, status)
        for name, status in sorted(mine.items())
        if status not in DETECTED and name not in listed
    ]
    stale = sorted(
        name
        for name in listed
        if name.startswith(modules) and (name not in mine or mine[name] in DETECTED)
    )
    return Score(area.name, len(mine), len(detected), sorted(equivalent), survivors, stale)


def show(workdir: Path, name: str) -> str:
    return subprocess.run(
        [str(MUTMUT), "show", name], cwd=workdir, capture_output=True, text=True
    ).stdout


def report(result: Score, workdir: Path, listed: dict[str, str], with_diffs: bool) -> None:
    print(
        f"[{result.area}] mutants {result.total}, killed {result.detected}, "
        f"equivalent {len(result.equivalent)}, survived {len(result.survivors)}: "
        f"score {result.detected}/{result.counted} = {result.value:.1%}"
    )
    if with_diffs:
        for name in result.equivalent:
            print(f"    equivalent  {name}  ({listed[name]})")
    for name, status in result.survivors:
        print(f"    {status:<11} {name}")
        if with_diffs:
            print("        " + show(workdir, name).replace("\n", "\n        ").rstrip())
    for name in result.stale:
        print(f"    STALE entry in {EQUIVALENT_FILE.name}: {name} (killed or gone)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("area", choices=[*AREAS, "all"])
    parser.add_argument(
        "--show", action="store_true", help="print each survivor's diff and each equivalent"
    )
    parser.add_argument(
        "--keep", action="store_true", help="reuse the previous run's mutants and results"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="score the last run without running mutmut"
    )
    args = parser.parse_args(argv)
    tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))  # fail early on a bad file
    listed = equivalent_mutants()
    names = list(AREAS) if args.area == "all" else [args.area]
    scores = []
    for name in names:
        area = AREAS[name]
        if args.report_only:
            workdir = WORK / name
        else:
            workdir = prepare(area, keep=args.keep)
            run_mutmut(area, workdir)
        result = score(area, results(workdir), listed)
        report(result, workdir, listed, args.show)
        scores.append(result)
    if len(scores) > 1:
        print()
        for result in scores:
            print(f"{result.area:<11} {result.value:6.1%}  ({result.detected}/{result.counted})")
    return 0 if all(result.value >= TARGET for result in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
