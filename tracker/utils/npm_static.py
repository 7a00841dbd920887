"""A static files finder for single files out of npm packages (docs/dependencies.md).

`STATICFILES_DIRS` can only serve a whole directory: date-fns ships 5,000 files (39 MB) of which
the page needs one, its browser build. `NPM_STATIC_FILES` maps each URL path under `STATIC_URL`
to a file under `node_modules`, and only those are found, listed and collected."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class NpmFilesFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, Path] = dict(getattr(settings, "NPM_STATIC_FILES", {}))

    def find(self, path: str, find_all: bool = False, **kwargs):
        source = self.files.get(path)
        if source is None or not source.is_file():
            return []  # as Django's own finders answer "not here"
        return [str(source)] if find_all or kwargs.get("all") else str(source)

    def list(self, ignore_patterns):
        for path, source in self.files.items():
            if source.is_file():
                storage = FileSystemStorage(location=str(source.parent))
                storage.prefix = str(Path(path).parent)
                yield source.name, storage

    def check(self, **kwargs) -> list:
        return []
