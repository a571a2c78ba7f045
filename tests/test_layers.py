"""The import graph: layers only point down, and pure stages never import Prefect.

core (settings, errors, paths) <- schemas <- tasks (pure stages) <- tasks.prefect_tasks (the
Prefect tasks) <- flows (composition) <- dealwatch (command line, eval, train, ui). Every import
in every module counts, also those inside functions and TYPE_CHECKING blocks: a lazy import is
still an arrow.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("core", "schemas", "tasks", "flows", "dealwatch")
# Higher imports lower, never the other way; the longest matching prefix decides a module's layer.
LAYERS = {
    "core": 0,
    "schemas": 1,
    "tasks": 2,
    "tasks.prefect_tasks": 3,
    "flows": 4,
    "dealwatch": 5,
}
PREFECT = ("prefect", "prefect_dask")


def layer(module: str) -> int | None:
    """The layer of one of our modules, None for third-party and standard-library modules."""
    best: tuple[int, int] | None = None
    for prefix, rank in LAYERS.items():
        if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), rank)
    return None if best is None else best[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module ``source`` imports (relative imports resolved against ``module``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # `from tasks import records` imports the module tasks.records
            found.update(f"{target}.{alias.name}" for alias in node.names if layer(f"{target}.{alias.name}"))
    return found


def violations(module: str, imported: set[str]) -> list[str]:
    own = layer(module)
    assert own is not None
    found = []
    for target in sorted(imported):
        rank = layer(target)
        if rank is not None and rank > own:
            found.append(f"{module} imports {target} (a higher layer)")
        # core.settings may ask Prefect (lazily) whether a cron string is valid; stages may not.
        if LAYERS["schemas"] <= own <= LAYERS["tasks"] and target.split(".")[0] in PREFECT:
            found.append(f"{module} imports {target} (pure stages run without Prefect)")
    return found


def our_modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (REPO / package).rglob("*.py"))


def test_layers_only_point_down_and_pure_stages_do_not_import_prefect():
    found = []
    for path in our_modules():
        module = module_name(path)
        found += violations(
            module, imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
        )
    assert found == []


def test_packages_import_without_a_cycle():
    edges: dict[str, set[str]] = {}
    for path in our_modules():
        module = module_name(path)
        here = _package(module)
        targets = imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
        edges.setdefault(here, set()).update(
            there for target in targets if layer(target) is not None and (there := _package(target)) != here
        )
    assert _cycle(edges) is None


def _package(module: str) -> str:
    return "tasks.prefect_tasks" if module.startswith("tasks.prefect_tasks") else module.split(".")[0]


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, or None."""
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path, node, nxt]
            if nxt not in state and (found := visit(nxt, [*path, node])):
                return found
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node, [])):
            return found
    return None


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("tasks.discover", "from dealwatch.settings import ConfigError", "a higher layer"),
        ("tasks.evaluate", "def f():\n    from flows.ingest import ingest", "a higher layer"),
        ("tasks.records", "if TYPE_CHECKING:\n    from tasks.prefect_tasks import commit", "a higher layer"),
        ("tasks.batches", "from prefect import task", "without Prefect"),
        ("core.settings", "from schemas import MODELS", "a higher layer"),
        ("tasks.extract.deals.en", "from ...prefect_tasks import commit", "a higher layer"),
        ("flows", "from . import dealwatch_thing\nfrom dealwatch import cli", "a higher layer"),
    ],
)
def test_the_checker_sees_an_upward_import(module: str, source: str, expected: str):
    found = violations(module, imports(source, module, module == "flows"))
    assert found and all(expected in line for line in found)


def test_the_checker_allows_downward_imports():
    source = (
        "from core.errors import ConfigError\nfrom schemas import MODELS\nfrom tasks.records import frame"
    )
    assert violations("tasks.prefect_tasks", imports(source, "tasks.prefect_tasks")) == []
    assert _cycle({"flows": {"tasks"}, "tasks": {"flows"}}) == ["flows", "tasks", "flows"]


def test_no_two_modules_share_a_name():
    """Schemas are named after their tables; any other module name says what it holds, once."""
    names = Counter(
        path.name
        for path in [*our_modules(), *(REPO / "benchmarks").rglob("*.py"), *(REPO / "tests").rglob("*.py")]
        if path.name != "__init__.py" and path.parent.name != "schemas"
    )
    assert [name for name, count in names.items() if count > 1] == []


MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80


def test_no_module_or_function_of_the_pipeline_outgrows_a_reading():
    """A module of at most ~800 lines and functions of at most ~80: what one reading takes in."""
    found = []
    for path in our_modules():
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > MAX_MODULE_LINES:
            found.append(f"{path.relative_to(REPO)}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{path.relative_to(REPO)}: {node.name} is {length} lines")
    assert found == []
