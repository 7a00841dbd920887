"""The dataset registry: each export dataset is one `Dataset` subclass, decorated `@register`.

A dataset declares its columns (name, type, unit, meaning: docs/export.md is the same list, and a
test checks they agree) and turns an `ExportScope` into rows. The scope's patients have already
been through the access rule; a dataset only narrows them (by date range) and never widens them.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db.models import QuerySet

from tracker.exports.pseudonym import Pseudonymiser
from tracker.exports.sql_csv import SqlRows
from tracker.models import Patient


class ColumnType:
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


# Each type as the data dictionary and the patient's readme say it.
TYPE_WORDS = {
    ColumnType.INTEGER: "whole number",
    ColumnType.DECIMAL: "number",
    ColumnType.TEXT: "text",
    ColumnType.DATE: "date",
    ColumnType.DATETIME: "date and time, UTC",
    ColumnType.BOOLEAN: "true or false",
}
# Short forms a header in words keeps in capitals.
ACRONYMS = {"id": "ID", "psfs": "PSFS", "odi": "ODI", "groc": "GROC"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str
    unit: str = ""
    # False for free text and calendar dates: left out of the research variant of a dataset.
    research: bool = True

    @property
    def label(self) -> str:
        """The column's name in words, for the patient's own download: "Pain worst"."""
        words = [ACRONYMS.get(word, word) for word in self.name.split("_")]
        text = " ".join(words)
        return text[:1].upper() + text[1:]

    @property
    def type_words(self) -> str:
        return TYPE_WORDS.get(self.type, self.type)


@dataclass(frozen=True)
class ExportScope:
    """What one export covers: patients the user may see, and an optional inclusive date range."""

    patients: QuerySet[Patient]
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    pseudonymise: Callable[..., str] = field(default_factory=Pseudonymiser)
    chunk_size: int = field(default_factory=lambda: settings.EXPORT_CHUNK_SIZE)


class Dataset:
    slug: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    # Pseudonymised for research: no names, dates of birth or free text (docs/export.md).
    research: ClassVar[bool] = False
    # Offered to patients for downloading their own data, as "Download <patient_title> (CSV)".
    for_patients: ClassVar[bool] = False
    patient_title: ClassVar[str] = ""
    # Templates get the class itself; without this they would call (instantiate) it.
    do_not_call_in_templates: ClassVar[bool] = True

    def rows(self, scope: ExportScope) -> Iterator[dict[str, Any]]:
        """One dict per row, keyed by column name; read with `.iterator()` so memory stays flat."""
        raise NotImplementedError

    def sql_rows(self, scope: ExportScope) -> SqlRows | None:
        """The same rows as one query that writes every cell in SQL (the fast path, see
        tracker/exports/sql_csv.py), or None where Python must compute them."""
        return None

    @classmethod
    def header(cls) -> list[str]:
        return [column.name for column in cls.columns]

    def ordered_rows(self, scope: ExportScope) -> Iterator[list[Any]]:
        names = self.header()
        for row in self.rows(scope):
            yield [row[name] for name in names]


DATASETS: dict[str, type[Dataset]] = {}


def register(dataset: type[Dataset]) -> type[Dataset]:
    if dataset.slug in DATASETS:
        raise ValueError(f"Two export datasets are called {dataset.slug!r}.")
    DATASETS[dataset.slug] = dataset
    return dataset


D = TypeVar("D", bound=type[Dataset])


def research_variant(description: str, *, title: str = "") -> Callable[[D], D]:
    """Class decorator, above `@register`: also register the dataset's pseudonymised research
    variant (returns the named dataset unchanged).

    The variant is a subclass with `research = True`, so both read the same rows and can never
    disagree: slug `research_<slug>`, title `<title> (research, pseudonymised)` (`title` replaces
    the named title's words where they do not fit), `description` its own, never in a patient's
    own download. What `research` does to the columns is the base class's business
    (`PatientDayDataset`: pseudonym, age and care day in front, no `research=False` columns).
    """

    def declare(named: D) -> D:
        if DATASETS.get(named.slug) is not named:
            raise ValueError(f"Put @research_variant above @register on {named.__name__}.")
        variant = type(
            f"Research{named.__name__}",
            (named,),
            {
                "__module__": named.__module__,
                "__doc__": f"The research variant of {named.__name__}.",
                "slug": f"research_{named.slug}",
                "title": f"{title or named.title} (research, pseudonymised)",
                "description": description,
                "research": True,
                "for_patients": False,
            },
        )
        register(variant)
        return named

    return declare


def clinician_datasets() -> list[type[Dataset]]:
    return list(DATASETS.values())


def patient_datasets() -> list[type[Dataset]]:
    return [d for d in DATASETS.values() if d.for_patients]
