"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

Chromium comes from Debian (`apt-get install chromium`); Playwright's own browser download cannot
work on these machines. Without Chromium the tests are skipped with that advice, except in CI
(CI=true), where a missing browser fails the run.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}  # a ward tablet in portrait (issue 18)
WIDE = {"width": 1366, "height": 900}  # a clinic laptop

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make for
# set-up are synchronous and safe, so Django's async guard is relaxed for browser tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
            "(or set CHROMIUM_PATH) to run the browser tests."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _page(browser, viewport: dict, mobile: bool):
    context = browser.new_context(
        viewport=viewport,
        is_mobile=mobile,
        has_touch=mobile,
        # The page's CSP forbids inline script; axe-core is injected by the test, so only
        # the test context bypasses it.
        bypass_csp=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def phone_page(browser):
    context, page = _page(browser, PHONE, mobile=True)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context, page = _page(browser, DESKTOP, mobile=False)
    yield page
    context.close()


@pytest.fixture
def tablet_page(browser):
    context, page = _page(browser, TABLET, mobile=False)
    yield page
    context.close()


@pytest.fixture
def wide_page(browser):
    context, page = _page(browser, WIDE, mobile=False)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """No serious or critical axe-core violations on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, "Accessibility violations:\n" + "\n".join(bad)


def assert_no_horizontal_scroll(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
