"""The test suite's own shape: test modules share helpers through tests/helpers.py, factories and
conftest.py, never by importing one another (a test module is not a library: importing one runs
its module-level set-up and ties two files' helpers together)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_module(name: str) -> bool:
    return name.rsplit(".", 1)[-1].startswith("test_")


def _imported_test_modules(source: str, package: str) -> list[str]:
    """The test modules this source (a module of `package`) imports, by their dotted names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, *([base] if base else [])])
            if _is_test_module(base):
                found.append(base)
            found += [f"{base}.{a.name}" for a in node.names if _is_test_module(a.name)]
    return found


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).parent.parts)


def test_no_test_module_imports_another_test_module():
    offenders = {
        str(path.relative_to(TESTS.parent)): imported
        for path in sorted(TESTS.rglob("test_*.py"))
        if (imported := _imported_test_modules(path.read_text(), _package_of(path)))
    }

    assert offenders == {}, "move shared helpers to tests/helpers.py or a conftest.py"


def test_the_shape_check_sees_each_way_of_importing_a_test_module():
    source = (
        "from tests.test_settings import STRONG_KEY\n"
        "import tests.browser.test_dashboard\n"
        "from .test_checkin import something\n"
        "from . import test_imaging\n"
        "from tests.helpers import history\n"
    )
    assert _imported_test_modules(source, "tests.browser") == [
        "tests.test_settings",
        "tests.browser.test_dashboard",
        "tests.browser.test_checkin",
        "tests.browser.test_imaging",
    ]
