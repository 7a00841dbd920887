"""The test suite's own shape: test modules share helpers through tests/helpers.py, factories and
conftest.py, never by importing one another (a test module is not a library: importing one runs
its module-level set-up and ties two files' helpers together); and tests check what a user or a
caller notices, not the product's private names (a spy on `_record` breaks on a rename that
changes nothing anyone sees, and passes a change that breaks what they do)."""

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


PRODUCT = ("tracker", "rehab")


def _patched(args: list[ast.expr]) -> str:
    """What `setattr("a.b._c", new)` or `setattr(obj, "_c", new)` (and `patch`) replace."""
    first, second = (args + [None, None])[:2]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    if isinstance(second, ast.Constant) and isinstance(second.value, str):
        return f"{getattr(first, 'id', '?')}.{second.value}"
    return ""


def _private_uses(source: str) -> list[str]:
    """Private names of product modules this test source imports, reads or patches."""
    tree = ast.parse(source)
    modules: set[str] = set()  # local names bound to product modules
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PRODUCT):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{node.module}.{alias.name}")
                modules.add(alias.asname or alias.name)  # a module or not: its _attrs are private
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PRODUCT):
                    modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
        ):
            found.append(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"setattr", "patch"}:
            target = _patched(node.args)
            last = target.rsplit(".", 1)[-1]
            if last.startswith("_") and not last.startswith("__"):
                found.append(target)
    return sorted(found)


def test_no_test_spies_on_a_private_name_of_the_product():
    offenders = {
        str(path.relative_to(TESTS.parent)): uses
        for path in sorted(TESTS.rglob("*.py"))
        if (uses := _private_uses(path.read_text()))
    }

    assert offenders == {}, "test what a user or caller notices instead"


def test_the_spy_check_sees_imports_reads_and_patches_of_private_names():
    source = (
        "from tracker.db_router import PIN_COOKIE, _pinned\n"
        "from tracker.services import checkin as service\n"
        "import rehab.adherence\n"
        "service._sections.pop('x')\n"
        "monkeypatch.setattr(service, '_record', spy)\n"
        "monkeypatch.setattr('tracker.db_router._replica_wanted', spy)\n"
        "mock.patch('tracker.exports.sql_csv.CHUNK_CHARS', 256)\n"
        "Patient._meta\n"
    )

    assert _private_uses(source) == [
        "service._record",
        "service._sections",
        "tracker.db_router._pinned",
        "tracker.db_router._replica_wanted",
    ]


def test_every_module_marked_hostile_by_name_exists(request):
    from tests.conftest import HOSTILE_MODULES

    assert all((TESTS / f"{name}.py").is_file() for name in HOSTILE_MODULES)
    assert "hostile" in " ".join(request.config.getini("markers"))


# Issue 16: every check that the wrong user gets 404 also checks a parent or guardian of this
# patient (outside their scope on every page not built for guardians) and one of another patient:
# the `guardians` fixture (conftest.py), or both of its fixtures by name.
GUARDIAN_FIXTURES = ("patients_guardian", "other_patients_guardian")


def _names_guardians(params: set[str], used: set[str]) -> bool:
    if "guardians" in params and "guardians" in used:
        return True
    return all(name in params and name in used for name in GUARDIAN_FIXTURES)


def _not_found_checks_without_guardians(source: str) -> list[str]:
    """Tests calling assert_not_found_for that do not take and use both guardians."""
    missing = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test"):
            continue
        calls = [
            call
            for call in ast.walk(node)
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "assert_not_found_for"
        ]
        if not calls:
            continue
        params = {arg.arg for arg in node.args.args}
        used = {
            name.id for stmt in node.body for name in ast.walk(stmt) if isinstance(name, ast.Name)
        }
        if not _names_guardians(params, used):
            missing.append(node.name)
    return missing


def test_every_not_found_check_includes_both_guardians():
    offenders = {
        str(path.relative_to(TESTS.parent)): names
        for path in sorted(TESTS.rglob("test_*.py"))
        if (names := _not_found_checks_without_guardians(path.read_text()))
    }

    assert offenders == {}, "add the `guardians` fixture to the users refused"


def test_the_guardian_check_sees_a_forgotten_guardian():
    source = (
        "def test_ok(client, guardians):\n"
        "    assert_not_found_for(client, [*guardians], '/')\n"
        "def test_ok_by_name(client, patients_guardian, other_patients_guardian):\n"
        "    assert_not_found_for(client, [patients_guardian, other_patients_guardian], '/')\n"
        "def test_forgot(client, other_clinician):\n"
        "    assert_not_found_for(client, [other_clinician], '/')\n"
        "def test_one_of_two(client, patients_guardian):\n"
        "    assert_not_found_for(client, [patients_guardian], '/')\n"
        "def test_unused(client, guardians):\n"
        "    assert_not_found_for(client, [], '/')\n"
        "def test_no_check(client):\n"
        "    pass\n"
    )

    assert _not_found_checks_without_guardians(source) == [
        "test_forgot",
        "test_one_of_two",
        "test_unused",
    ]
