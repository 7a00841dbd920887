"""A parent or guardian sees only the pages built for them (issue 16).

The walk below takes every URL pattern the site has, so a page added later that forgets the
access rule fails here: a signed-in guardian of the very patient whose ids are in the URL, with
the default scope or with every part of it, gets 404 on every patient's, clinician's and
administrator's page and on every API endpoint; the admin sends them to its sign-in; only the
pages built for guardians (named `guardian_...` or under /family/), their own account pages and
the public pages answer them.
"""

import re

import pytest
from django.core.signals import request_finished
from django.db import IntegrityError, close_old_connections, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import GuardianFactory, guardian_link
from tests.helpers import open_alert
from tracker.models import ApiToken, AuditEvent, Role, User
from tracker.rules.guardians import GuardianScope
from tracker.services.api_tokens import hash_token

pytestmark = pytest.mark.django_db

# Pages anyone may open, signed in or not; none shows a patient's data.
PUBLIC = {
    ":service_worker",
    ":manifest",
    ":favicon",
    ":login",
    ":password_reset",
    ":password_reset_done",
    ":password_reset_confirm",
    ":password_reset_complete",
    "tracker:invite_accept",  # a one-time link, refused without its token
    "tracker:reminders_stop",  # a signed stop link, refused without its signature
    "api:schema",  # the API's description, public
    "api:docs",
    "admin:login",  # tells a signed-in non-administrator they may not use the admin
}
# Any signed-in person's own account: where they land, their password, sign-in and devices.
OWN_ACCOUNT = {
    "tracker:home",
    "tracker:account",
    "tracker:account_security",
    "tracker:sessions_sign_out_others",
    "tracker:two_factor_setup",
    "tracker:two_factor_verify",
    "tracker:two_factor_recovery",
    "tracker:two_factor_recovery_new",
    "tracker:two_factor_off",
    ":logout",
    ":password_change",
    ":password_change_done",
    "admin:logout",
}
# Sample paths for patterns written as regular expressions (no converters to fill in).
REGEX_SAMPLES = {
    "admin:app_list": "tracker/",
    "admin:": "nowhere/",  # the admin's catch-all
    "api:not_found": "nowhere/",
}


def _built_for_guardians(name: str, path: str) -> bool:
    namespace, _, short = name.partition(":")
    return short.startswith("guardian_") or namespace == "family" or path.startswith("/family/")


def _patterns() -> list[tuple[str, str]]:
    """(namespace:name, path template) of every URL pattern, prefixes joined."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern):
                found.append((f"{namespace}:{pattern.name or ''}", prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "/", "")
    return found


PATTERNS = _patterns()
SCOPES = ["default scope", "every part of the scope"]
# Every page for the guardian whose link allows everything (a page that asked the rule for one
# part of the scope, wrongly, would show itself to them); the one with the default scope is in
# every page's own wrong-user check already (the `guardians` fixture). The admin, one gate
# before every page, for the default one.
# Pages built for guardians are left out here: their own tests check them, scope by scope.
CASES = [
    (scope, name, template)
    for name, template in PATTERNS
    if not _built_for_guardians(name, "/" + template.lstrip("^/"))
    for scope in (SCOPES[:1] if name.startswith("admin:") else SCOPES[1:])
]


def _fill(template: str, name: str, values: dict[str, str]) -> str:
    """A real path for a pattern: converters filled with this patient's ids."""
    if "^" in template or "(" in template:  # a regular expression: its sample
        prefix = re.split(r"[\^(]", template, maxsplit=1)[0]
        if name.endswith("_simple_history"):
            return f"{prefix}{values['object_id']}/history/1/"
        return prefix + REGEX_SAMPLES[name]
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m[1], "1"), template)


@pytest.fixture
def guardian(request, patient, patients_guardian):
    """A parent of `patient`: the default scope, or everything a link can allow."""
    if request.param == "default scope":
        return patients_guardian
    return guardian_link(
        patient, GuardianFactory(username="parent.all"), scope=list(GuardianScope)
    ).guardian


@pytest.fixture
def ids(patient, clinician, clinic):
    """A real id in every slot: the patient's own alert, questionnaire, exercise, token."""
    from rehab.models import Exercise
    from tests.factories import outcome_schedule, submitted_response
    from tracker.services.api_tokens import api_token_create

    outcome_schedule(patient, "weekly_pain")
    response = submitted_response(
        patient, "weekly_pain", due_on=patient.enrolled_on, answers={"average": 1, "worst": 2}
    )
    exercise = Exercise.objects.create(clinic=clinic, name="Clinic crunch", purpose="p")
    token, _ = api_token_create(user=clinician, name="x")
    return {
        "patient_id": str(patient.pk),
        "object_id": str(patient.pk),
        "id": str(patient.user.pk),
        "alert_id": str(open_alert(patient).pk),
        "response_id": str(response.pk),
        "exercise_id": str(exercise.pk),
        "token_id": str(token.pk),
        "day": patient.local_today().isoformat(),
        "code": "weekly_pain",
        "slug": "patients",
        "dataset": "patients",
    }


def test_the_walk_finds_every_kind_of_page():
    names = {name for name, _ in PATTERNS}

    assert {"tracker:patient_detail", "tracker:checkin", "rehab:patient_rehab"} <= names
    assert {"api:patient_fhir", "tracker:export", "admin:index", "tracker:audit_log"} <= names
    assert not (PUBLIC | OWN_ACCOUNT) - names, "an allowed page that no longer exists"


def test_it_knows_the_pages_built_for_guardians():
    assert _built_for_guardians("tracker:guardian_plan", "/family/1/plan/")
    assert _built_for_guardians("family:plan", "/family/1/plan/")
    assert not _built_for_guardians("tracker:patient_detail", "/patients/1/")


@pytest.mark.parametrize(
    ("guardian", "name", "template"),
    CASES,
    indirect=["guardian"],
    ids=[f"{scope}-{name} {template}" for scope, name, template in CASES],
)
def test_a_guardian_gets_only_the_pages_built_for_them(
    client, guardian, patient, ids, name, template
):
    path = _fill(template, name, ids)
    assert not _built_for_guardians(name, path)
    client.force_login(guardian)

    got = client.get(path)
    posted = client.post(path)
    # A file served (the icon) is closed. response.close() sends request_finished, whose
    # close_old_connections would close a database connection older than CONN_MAX_AGE
    # (PostgreSQL's 60 s) under the test's transaction, failing every later test; Django's test
    # client keeps it off during a request in the same way.
    request_finished.disconnect(close_old_connections)
    try:
        got.close()
        posted.close()
    finally:
        request_finished.connect(close_old_connections)

    codes = (got.status_code, posted.status_code)
    if name in PUBLIC or name in OWN_ACCOUNT:
        assert max(codes) < 500, codes
    elif name.startswith("admin:"):
        assert got.status_code == 302 and got["Location"].startswith("/admin/login/"), codes
    else:
        # 405: the method is not offered at all (so nothing is shown); one of the two is a 404.
        # The API refuses a session's unsigned write with 403 before it looks at anything.
        assert got.status_code in {404, 405} and 404 in codes or codes == (404, 403), codes
        assert not AuditEvent.objects.filter(patient=patient).exists()


def test_a_guardians_api_token_is_refused(client, patients_guardian, patient):
    # Guardians cannot create tokens (the page is a 404, the service refuses); one made behind
    # the software's back still opens nothing.
    raw = "pt_guardian-token-made-by-hand"
    ApiToken.objects.create(
        user=patients_guardian, name="x", prefix=raw[:9], token_hash=hash_token(raw)
    )

    for url in (reverse("api:me"), reverse("api:patient_record", args=[patient.pk])):
        response = client.get(url, HTTP_AUTHORIZATION=f"Token {raw}")
        assert response.status_code == 401, url


def test_a_guardian_cannot_have_an_api_token(patients_guardian):
    from django.core.exceptions import PermissionDenied

    from tracker.services.api_tokens import api_token_create

    with pytest.raises(PermissionDenied):
        api_token_create(user=patients_guardian, name="Family sync")

    assert not ApiToken.objects.exists()


def test_a_guardian_can_never_be_staff(patients_guardian):
    patients_guardian.is_staff = True

    with pytest.raises(IntegrityError), transaction.atomic():
        patients_guardian.save()

    assert not User.objects.filter(role=Role.GUARDIAN, is_staff=True).exists()
