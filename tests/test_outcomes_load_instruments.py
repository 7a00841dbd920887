"""manage.py load_instruments: definition files and licensed wording, validated, all or nothing."""

import copy
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Instrument
from tracker.rules.outcomes.definitions import BUILTIN_DIR

pytestmark = pytest.mark.django_db

FAKE_ODI_WORDING = Path(__file__).parent / "data" / "odi_wording_fake.json"


def _builtin(code: str) -> dict:
    return json.loads((BUILTIN_DIR / f"{code}.json").read_text())


def _write(tmp_path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def _snapshot() -> list:
    return list(Instrument.objects.order_by("code").values_list("code", "name", "definition"))


def test_it_has_the_built_in_instruments_after_migrate():
    codes = set(Instrument.objects.values_list("code", flat=True))

    assert codes == {"psfs", "groc", "weekly_pain", "odi"}
    assert not Instrument.objects.get(code="odi").is_available
    assert Instrument.objects.get(code="psfs").is_available


def test_it_ships_no_odi_wording():
    odi = Instrument.objects.get(code="odi")

    assert odi.wording == {}
    assert all(item["text"] == "" and item["options"] == [] for item in odi.definition["items"])
    assert odi.loinc_code == "97908-8" and not odi.loinc_checked


def test_it_reloads_the_built_ins_without_duplicating():
    call_command("load_instruments", stdout=None)

    assert Instrument.objects.count() == 4


def _mutate(code: str, change) -> dict:
    data = copy.deepcopy(_builtin(code))
    change(data)
    return data


BAD_FILES = [
    ("missing scoring", _mutate("psfs", lambda d: d.pop("scoring")), "scoring: missing"),
    (
        "bad option value",
        _mutate("groc", lambda d: d["items"][0]["options"][1].update(value="two")),
        "items[0].options[1].value: must be a whole number",
    ),
    (
        "duplicate option value",
        _mutate("groc", lambda d: d["items"][0]["options"][1].update(value=3)),
        "items[0].options[1].value: 3 is used by two options",
    ),
    (
        "unknown scoring rule",
        _mutate("odi", lambda d: d["scoring"].update(rule="median")),
        "unknown scoring rule 'median'",
    ),
    (
        "score range upside down",
        _mutate("weekly_pain", lambda d: d.update(score_range=[10, 0])),
        "score_range: must be [lowest, highest]",
    ),
    (
        "answers outside score range",
        _mutate("groc", lambda d: d.update(score_range=[0, 3])),
        "score_range: the answers to 'rating' (-3 to 3) fall outside 0 to 3",
    ),
    (
        "bands not rising",
        _mutate("odi", lambda d: d["bands"][2].update(up_to=30)),
        "bands[2].up_to: bands must rise",
    ),
    (
        "unknown better",
        _mutate("psfs", lambda d: d.update(better="up")),
        "better: must be higher or lower",
    ),
    (
        "free instrument without wording",
        _mutate("groc", lambda d: d["items"][0].pop("options")),
        "items[0].options: missing",
    ),
    ("not json", "{not json", "not valid JSON"),
]


@pytest.mark.parametrize(
    ("data", "problem"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES]
)
def test_it_rejects_a_malformed_file_naming_the_problem(tmp_path, data, problem):
    path = _write(tmp_path, "bad.json", data)
    before = _snapshot()

    with pytest.raises(CommandError) as error:
        call_command("load_instruments", str(path))

    assert problem in str(error.value)
    assert "bad.json" in str(error.value)
    assert "Nothing was loaded" in str(error.value)
    assert _snapshot() == before


def test_it_loads_nothing_when_one_file_of_several_is_bad(tmp_path):
    renamed = _write(tmp_path, "psfs.json", _mutate("psfs", lambda d: d.update(name="Renamed")))
    new = _write(tmp_path, "new.json", _mutate("weekly_pain", lambda d: d.update(code="sleep")))
    bad = _write(tmp_path, "bad.json", _mutate("groc", lambda d: d.pop("items")))
    before = _snapshot()

    with pytest.raises(CommandError, match="items: missing"):
        call_command("load_instruments", str(renamed), str(new), str(bad))

    assert _snapshot() == before
    assert not Instrument.objects.filter(code="sleep").exists()


def test_it_loads_a_clinics_odi_wording_and_makes_the_odi_available():
    call_command("load_instruments", str(FAKE_ODI_WORDING), stdout=None)

    odi = Instrument.objects.get(code="odi")
    assert odi.is_available
    first = odi.items()[0]
    assert first["text"].startswith("TEST WORDING")
    assert [o["value"] for o in first["options"]] == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["items"].pop(), "items: no wording for travelling"),
        (lambda d: d["items"][0]["options"].pop(), "values must be exactly [0, 1, 2, 3, 4, 5]"),
        (lambda d: d["items"][0].update(key="bogus"), "odi has no item 'bogus'"),
        (lambda d: d.update(wording_for="sf36"), "no instrument 'sf36' is loaded"),
    ],
    ids=["missing section", "five options", "unknown section", "unknown instrument"],
)
def test_it_rejects_a_bad_wording_file_and_keeps_the_odi_unavailable(tmp_path, change, problem):
    data = json.loads(FAKE_ODI_WORDING.read_text())
    change(data)
    path = _write(tmp_path, "wording.json", data)

    with pytest.raises(CommandError) as error:
        call_command("load_instruments", str(path))

    assert problem in str(error.value)
    assert not Instrument.objects.get(code="odi").is_available


def test_it_keeps_loaded_wording_when_the_definition_is_reloaded():
    call_command("load_instruments", str(FAKE_ODI_WORDING), stdout=None)

    call_command("load_instruments", str(BUILTIN_DIR / "odi.json"), stdout=None)

    assert Instrument.objects.get(code="odi").is_available
