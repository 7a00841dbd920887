"""Usernames that mix scripts (a Cyrillic "а" in "аdmin") are refused wherever one is chosen."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PatientFactory, UserFactory
from tracker.rules.usernames import mixed_script_message, normalise_username
from tracker.services.people import invite_create

CYRILLIC_A = "\u0430"
CYRILLIC_O = "\u043e"
GREEK_OMICRON = "\u03bf"


@pytest.mark.parametrize(
    "username",
    [
        "ella.brooks",
        "ella_2026@clinic",
        "zoë.ødegård",
        "анна",
        "αλέξης",
        "山田たろう",
        "yamada.タロウ",
        "김민준",
        "محمد",
    ],
    ids=[
        "ascii",
        "ascii-symbols",
        "latin-accents",
        "cyrillic",
        "greek",
        "japanese",
        "latin-katakana",
        "korean",
        "arabic",
    ],
)
def test_it_allows_a_username_in_one_script(username):
    assert mixed_script_message(username) is None


@pytest.mark.parametrize(
    ("username", "scripts"),
    [
        (f"{CYRILLIC_A}dmin", "Cyrillic and Latin"),
        (f"dr.{CYRILLIC_O}kafor", "Cyrillic and Latin"),
        (f"pay{GREEK_OMICRON}l", "Greek and Latin"),
        ("анна\u03b1", "Cyrillic and Greek"),
        ("𝐚dmin", "Latin and Mathematical"),
    ],
    ids=["cyrillic-a", "cyrillic-o", "greek-omicron", "cyrillic-greek", "maths-bold"],
)
def test_it_names_the_scripts_a_username_mixes(username, scripts):
    assert scripts in mixed_script_message(username)


def test_it_turns_fullwidth_letters_into_plain_ones():
    assert normalise_username("ｅｌｌａ") == "ella"


@pytest.fixture
def invite_url(db, clinic, clinician):
    user = UserFactory(username="ella.brooks", first_name="Ella", is_active=False)
    user.set_unusable_password()
    user.save()
    patient = PatientFactory(user=user, clinic=clinic, treating_clinician=clinician)
    _, token = invite_create(patient=patient, created_by=clinician)
    return reverse("tracker:invite_accept", args=[token]), user


def _accept(client, url, username):
    password = "blue-river-kite-2026"
    return client.post(url, {"username": username, "password1": password, "password2": password})


def test_it_refuses_a_mixed_script_username_at_invitation_next_to_the_field(client, invite_url):
    url, user = invite_url

    response = _accept(client, url, f"{CYRILLIC_A}dmin")

    user.refresh_from_db()
    assert response.status_code == 200
    assert "mixes Cyrillic and Latin letters" in response.text
    assert response.context["form"].errors["username"]
    assert user.username == "ella.brooks" and not user.is_active


def test_it_accepts_a_username_in_one_other_script_at_invitation(client, invite_url):
    url, user = invite_url

    response = _accept(client, url, "анна")

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.username == "анна"


def test_it_stores_a_fullwidth_username_as_plain_letters(client, invite_url):
    url, user = invite_url

    _accept(client, url, "ｅｌｌａ")

    user.refresh_from_db()
    assert user.username == "ella"


def test_it_refuses_a_mixed_script_username_on_the_user_model(db, clinician):
    clinician.username = f"dr.{CYRILLIC_O}kafor"

    with pytest.raises(ValidationError) as refused:
        clinician.full_clean()

    assert "mixes Cyrillic and Latin" in str(refused.value.message_dict["username"])


def test_it_refuses_a_mixed_script_username_in_the_admin(db, client, clinician):
    root = type(clinician).objects.create_superuser("root", "root@example.org", "x" * 20)
    client.force_login(root)

    response = client.post(
        reverse("admin:tracker_user_add"),
        {
            "username": f"{CYRILLIC_A}dmin",
            "usable_password": "true",
            "password1": "blue-river-kite-2026",
            "password2": "blue-river-kite-2026",
        },
    )

    assert response.status_code == 200
    assert "mixes Cyrillic and Latin letters" in response.text
    assert not type(clinician).objects.filter(username=f"{CYRILLIC_A}dmin").exists()
