"""The data dictionary in the app: a page and a column list to download beside each dataset."""

import csv
import io

import pytest
from django.urls import reverse

from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.exports.datasets import DATASETS

pytestmark = pytest.mark.django_db

PAGE = "/export/columns/"


def test_it_shows_every_column_of_every_dataset(clinician_client):
    page = clinician_client.get(PAGE).text

    for dataset in DATASETS.values():
        assert f'id="{dataset.slug}"' in page
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page, f"{dataset.slug}.{column.name}"
    assert "Worst back pain that day (NRS 0-10)." in page
    assert "whole number, 0-10" in page


def test_it_downloads_one_datasets_column_list(clinician_client):
    response = clinician_client.get("/export/columns/diary.csv")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Disposition"].startswith("attachment;")
    assert rows[0] == ["column", "type", "unit", "meaning"]
    assert [row[0] for row in rows[1:]] == DATASETS["diary"].header()


def test_it_answers_an_unknown_dataset_with_not_found(clinician_client):
    assert clinician_client.get("/export/columns/nothing.csv").status_code == 404


@pytest.mark.parametrize("url", [PAGE, "/export/columns/diary.csv"], ids=["page", "csv"])
def test_it_is_for_clinicians_only(client, patient, clinic_admin, url, guardians):
    assert_not_found_for(client, [patient.user, clinic_admin, *guardians], url)
    assert_login_redirect(client, url)


def test_the_export_page_puts_the_columns_beside_each_dataset(clinician_client):
    page = clinician_client.get(reverse("tracker:export")).text

    assert "docs/export.md" not in page
    for slug in DATASETS:
        assert f'href="/export/columns/#{slug}"' in page
        assert f'href="/export/columns/{slug}.csv"' in page
