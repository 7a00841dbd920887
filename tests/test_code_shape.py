"""The product code stays in pieces a reader can hold: no module over 400 lines, no function over
80 (issue 13, "Done when"). The benchmark (bench/) is held to the same limits; migrations are
generated, so they are not measured."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("tracker", "rehab", "bench")
EXCLUDED = ("migrations",)  # generated schema history
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80

# Files or functions allowed over the limits, each with the reason it is better left whole:
# {"tracker/x.py": "why"} and {"tracker/x.py::function": "why"}. Empty: nothing needs it.
ALLOWED: dict[str, str] = {}


def product_files() -> list[Path]:
    files = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if any(part in EXCLUDED for part in parts[:-1]):
                continue
            files.append(path)
    return files


def long_functions(path: Path) -> list[tuple[str, int]]:
    """(qualified name, lines) of every function or method over the limit, decorators included."""
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                    length = child.end_lineno - first + 1
                    if length > MAX_FUNCTION_LINES:
                        found.append((name, length))
                visit(child, f"{name}.")

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_product_code_is_measured():
    names = {_name(p) for p in product_files()}
    assert "tracker/rules/assessment/__init__.py" in names
    assert not any("/migrations/" in n for n in names)


@pytest.mark.parametrize("path", product_files(), ids=_name)
def test_no_product_module_is_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if _name(path) in ALLOWED:
        return
    assert lines <= MAX_FILE_LINES, f"{_name(path)} has {lines} lines; split it into a package"


@pytest.mark.parametrize("path", product_files(), ids=_name)
def test_no_product_function_is_over_80_lines(path):
    too_long = [
        f"{name} ({length} lines)"
        for name, length in long_functions(path)
        if f"{_name(path)}::{name}" not in ALLOWED
    ]
    assert not too_long, f"{_name(path)}: split into named steps: {', '.join(too_long)}"


def test_every_allowance_still_names_something_over_the_limits():
    """An allow-list entry outlives its reason silently unless the test notices."""
    over = set()
    for path in product_files():
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_FILE_LINES:
            over.add(_name(path))
        over.update(f"{_name(path)}::{name}" for name, _ in long_functions(path))
    assert set(ALLOWED) <= over


# What the pure rules may import besides the standard library and each other: the category enum's
# base class only, never a model, a query or a request.
RULES_MAY_IMPORT = {"django.db.models": {"TextChoices"}}


def _imports(path: Path) -> list[tuple[str, set[str]]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, {"the whole module"}) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", {alias.name for alias in node.names}))
    return found


# The brace sensor files' reading and measuring are pure too (docs/brace-sensors.md).
PURE_SENSOR_MODULES = [
    ROOT / "rehab" / "sensors" / "formats.py",
    ROOT / "rehab" / "sensors" / "wear.py",
]
PURE_SENSOR_MAY_IMPORT = ("tracker.rules", "rehab.sensors.formats", "rehab.sensors.wear")


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tracker" / "rules").rglob("*.py")) + PURE_SENSOR_MODULES, ids=_name
)
def test_the_pure_rules_stay_free_of_the_orm(path):
    for module, names in _imports(path):
        top = module.split(".")[0]
        if top in {"tracker", "rehab"}:
            allowed = PURE_SENSOR_MAY_IMPORT if "sensors" in path.parts else ("tracker.rules",)
            assert module.startswith(allowed), f"{_name(path)} imports {module}"
        elif top == "django":
            assert names <= RULES_MAY_IMPORT.get(module, set()), f"{_name(path)} imports {module}"
