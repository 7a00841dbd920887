"""The front-end libraries served from npm, one file at a time (tracker/utils/npm_static.py)."""

from django.contrib.staticfiles import finders

from tracker.utils.npm_static import NpmFilesFinder


def test_it_finds_the_date_adapter_and_date_fns_browser_build():
    for path in (
        "vendor/date-fns/cdn.min.js",
        "vendor/chartjs-adapter-date-fns/chartjs-adapter-date-fns.min.js",
    ):
        found = finders.find(path)

        assert found and found.endswith(path.rsplit("/", 1)[1])


def test_it_serves_nothing_else_of_the_packages():
    listed = [f"{storage.prefix}/{name}" for name, storage in NpmFilesFinder().list([])]

    assert sorted(listed) == [
        "vendor/chartjs-adapter-date-fns/chartjs-adapter-date-fns.min.js",
        "vendor/date-fns/cdn.min.js",
    ]
    assert finders.find("vendor/date-fns/format.js") is None
    assert finders.find("vendor/date-fns/package.json") is None
