"""The import rules docs/architecture.md gives ("What each module may import"), checked on the
source, so a shortcut across layers fails here rather than in a reviewer's head."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# layer (a path prefix) -> module prefixes it must never import
FORBIDDEN = {
    "tracker/models": ("tracker.services", "tracker.selectors", "tracker.forms", "tracker.views"),
    "rehab/models": ("tracker.services", "tracker.selectors", "rehab.services", "rehab.selectors"),
    "tracker/services": ("tracker.forms", "tracker.views", "tracker.api", "rehab.forms"),
    "rehab/services.py": ("tracker.forms", "tracker.views", "tracker.api", "rehab.forms"),
    "tracker/selectors": ("tracker.forms", "tracker.views", "tracker.api"),
    "rehab/selectors": ("tracker.forms", "tracker.views", "tracker.api", "rehab.services"),
    "tracker/views": ("tracker.views", "rehab.views"),
    "rehab/views.py": ("tracker.views",),
    "tracker": ("bench", "tests"),
    "rehab": ("bench", "tests"),
}


def _modules_imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _files(prefix: str) -> list[Path]:
    start = ROOT / prefix
    paths = [start] if start.suffix == ".py" else sorted(start.rglob("*.py"))
    return [p for p in paths if "migrations" not in p.parts]


def _violations(banned: tuple[str, ...], paths: list[Path]) -> list[str]:
    return sorted(
        f"{path.name} imports {module}"
        for path in paths
        for module in _modules_imported(path)
        if any(module == b or module.startswith(b + ".") for b in banned)
    )


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_what_the_architecture_forbids_it(layer):
    broken = _violations(FORBIDDEN[layer], _files(layer))
    assert not broken, "\n".join(broken)


def test_the_check_catches_a_forbidden_import(tmp_path):
    # A service that imports a view, or product code that imports the benchmark, is caught.
    sample = tmp_path / "x.py"
    sample.write_text("from tracker.views.checkin import checkin\nimport bench.run\nimport os\n")
    assert _violations(FORBIDDEN["tracker/services"], [sample]) == [
        "x.py imports tracker.views.checkin"
    ]
    assert _violations(FORBIDDEN["tracker"], [sample]) == ["x.py imports bench.run"]
