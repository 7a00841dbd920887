"""The patient's daily check-in, its confirmation, and their diary history."""

import dataclasses
import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from rehab.models import BraceLog, ExerciseLog
from tracker.access import patient_for_guardian, patient_required
from tracker.forms.checkin import CheckinForm
from tracker.models import GuardianLink, Patient
from tracker.rules.checkin import (
    CLOSED_AFTER_DISCHARGE,
    EDIT_WINDOW_DAYS,
    day_problem,
    edit_problem,
    first_open_day,
    is_day_open,
    version_parts,
)
from tracker.rules.guardian_entries import GUARDIAN_NOTE_HELP
from tracker.rules.guardians import GuardianScope
from tracker.selectors.checkin import answers_for, changes_since, entries_for, entry_versions
from tracker.selectors.guardian_entries import (
    entries_entered_by,
    guardian_day_taken,
    guardian_open_days,
    versions_entered_by,
)
from tracker.services.checkin import CheckinNotAllowed, CheckinStale, entry_record


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@never_cache
@require_http_methods(["GET", "POST"])
@patient_required
def checkin(request: HttpRequest, patient: Patient) -> HttpResponse:
    """One page for a day's check-in: today by default, or ?day= within the last week."""
    return _checkin_page(request, patient, link=None)


@never_cache
@require_http_methods(["GET", "POST"])
@patient_for_guardian(GuardianScope.LOG)
def guardian_checkin(request: HttpRequest, link: GuardianLink) -> HttpResponse:
    """The same check-in, logged by a guardian for the young person (docs/guardians.md): the same
    form and save, with the guardian as who entered it; a day the young person (or another
    guardian) has logged is theirs, and is neither shown nor changed."""
    return _checkin_page(request, link.patient, link=link)


def _checkin_page(
    request: HttpRequest, patient: Patient, link: GuardianLink | None
) -> HttpResponse:
    today = patient.local_today()
    if not patient.is_active:
        if link is not None:
            return _not_for_guardian(request, link, CLOSED_AFTER_DISCHARGE)
        messages.info(request, CLOSED_AFTER_DISCHARGE)
        return redirect("tracker:diary_list")
    day = _parse_day(request.GET.get("day")) or today
    if problem := day_problem(day=day, today=today, enrolled_on=patient.enrolled_on):
        messages.error(request, problem)
        day = today
    if request.method == "POST":
        # The questions follow the day being saved; until that day is valid, the page's own day.
        posted_day = _parse_day(request.POST.get("day"))
        if posted_day and is_day_open(day=posted_day, today=today, enrolled_on=patient.enrolled_on):
            day = posted_day
    if link is not None and (
        taken := guardian_day_taken(patient=patient, day=day, guardian=request.user)
    ):
        return _not_for_guardian(request, link, taken)
    form = CheckinForm.for_day(
        patient=patient,
        day=day,
        today=today,
        data=request.POST if request.method == "POST" else None,
        guardian=link is not None,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, patient, form, link)
        if saved is not None:
            return saved
    return _page(request, patient, form, day=day, today=today, link=link)


def _save(
    request: HttpRequest, patient: Patient, form: CheckinForm, link: GuardianLink | None
) -> HttpResponse | None:
    """Save a valid check-in through the one save path; the redirect, or None (form errors)."""
    try:
        result = entry_record(
            patient=patient,
            day=form.cleaned_data["day"],
            answers=form.answers(),
            brace_hours=form.brace_hours(),
            exercises=form.exercise_answers(),
            if_version=form.if_version(),
            by=request.user,
        )
    except CheckinStale as error:
        day = form.cleaned_data["day"]
        form.page_out_of_date(error=error, changes=_changes(patient, day, form, error))
        return None
    except CheckinNotAllowed as error:
        form.add_error(None if error.code == "changed" else "day", error)
        return None
    day = result.entry.day.isoformat()
    if link is not None:
        messages.success(request, f"Saved for {patient.user.first_name} (entered by you).")
        return redirect("tracker:guardian_checkin_saved", patient_id=patient.pk, day=day)
    if result.created:
        messages.success(request, "Saved. Well done for checking in!")
    elif result.changed:
        messages.success(request, "Saved. We've updated that day.")
    else:
        messages.success(request, "Saved. Nothing had changed.")
    return redirect("tracker:checkin_saved", day=day)


def _page(
    request: HttpRequest,
    patient: Patient,
    form: CheckinForm,
    *,
    day: dt.date,
    today: dt.date,
    link: GuardianLink | None,
) -> HttpResponse:
    # The browser's maxlength would cut a pasted note silently: the form refuses a long note with
    # a message beside it instead, and the page states the limit (and counts, with JS).
    note = form.fields["note"]
    note.widget.attrs.pop("maxlength", None)
    note.widget.attrs["aria-describedby"] = f"{form['note'].auto_id}_helptext"
    errors = error_links(form)
    action = reverse("tracker:checkin")
    if link is not None:
        action = reverse("tracker:guardian_checkin", args=[patient.pk])
    context = {
        "patient": patient,
        "form": form,
        "day": day,
        "today": today,
        "sections": form.sections,
        "editing": answers_for(patient=patient, day=day) is not None,
        "errors": errors,
        "error_count": sum(1 for error in errors if error.field),
        "form_wide_errors": [error for error in errors if not error.field],
        "optional_open": optional_open(form),
        "note_limit": note.max_length,
        "note_limit_text": f"{note.max_length:,}",
        "form_action": action,
        "guardian_link": link,
        "young_name": patient.user.first_name,
        "guardian_note_help": GUARDIAN_NOTE_HELP.format(name=patient.user.first_name),
    }
    return render(request, "tracker/checkin/checkin.html", context)


def _not_for_guardian(request: HttpRequest, link: GuardianLink, problem: str) -> HttpResponse:
    """The guardian's page for a day they may not log: why, and the days they may."""
    patient = link.patient
    context = {
        "patient": patient,
        "problem": problem,
        "open_days": guardian_open_days(patient=patient),
        "young_name": patient.user.first_name,
    }
    return render(request, "tracker/checkin/guardian_day_taken.html", context)


# -- the error summary and the optional answers ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ErrorLink:
    """One line of the check-in's error summary: what is wrong, and the control it links to
    (`anchor`, an element id on the page), under the field's `label`. `field` is False for a
    form-wide message, which highlights no field and is not counted."""

    text: str
    anchor: str
    field: bool = True
    label: str = ""


def _anchor(bound: forms.BoundField) -> str:
    """The id of the first control of a field: a radio or checkbox group's first option."""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def _exercise_name(part: forms.Form, name: str) -> str | None:
    """The exercise a section field (`done_12`, `sets_12`, ...) is about, if it is one."""
    _, _, pk = name.rpartition("_")
    for item in getattr(part, "due", ()):
        if str(item.pk) == pk:
            return item.exercise.name
    return None


def error_links(form: CheckinForm) -> list[ErrorLink]:
    """Every problem of a refused save, the brace and exercise parts included, in page order, each
    linked to its field. The count the page shows is the number of fields flagged."""
    links = [ErrorLink(str(e), "checkin-form", field=False) for e in form.non_field_errors()]
    parts: list[tuple[str | None, forms.Form]] = [(None, form)]
    parts += [(section.key, part) for section, part in form.sections]
    for key, part in parts:
        if key is not None:
            anchor = f"section-{key}"
            links += [ErrorLink(str(e), anchor, field=False) for e in part.non_field_errors()]
        for name in part.fields:
            if name not in part.errors:
                continue
            bound = part[name]
            message = " ".join(str(e) for e in bound.errors)
            if bound.is_hidden:
                # A hidden field (the exercises shown) is about the whole part.
                links.append(ErrorLink(message, f"section-{key}"))
                continue
            label = str(bound.label)
            if key is not None and (exercise := _exercise_name(part, name)):
                label = f"{exercise}: {label}"
            links.append(ErrorLink(message, _anchor(bound), label=label))
    # The safety check comes last on the page, after the brace and exercises: so in the summary.
    warnings = {bound.auto_id for bound in form.warning_fields}
    last = [link for link in links if link.anchor.removesuffix("_0") in warnings]
    return [link for link in links if link not in last] + last


OPTIONAL_FIELDS = ("activities", "leg_numbness", "leg_weakness", "night_pain", "medicine")
OPTIONAL_FIELDS += ("medicine_doses", "note")


def optional_open(form: CheckinForm) -> bool:
    """Whether "Add more (optional)" starts open: any of its answers given, or any in error."""
    names = [
        *OPTIONAL_FIELDS,
        *(
            n
            for n in form.fields
            if n.startswith("pain_")
            and n
            not in (
                "pain_now",
                "pain_worst",
                "pain_reach",
                "pain_side",
            )
        ),
    ]
    for name in names:
        if name not in form.fields:
            continue
        bound = form[name]
        value: Any = bound.value()
        if bound.errors:
            return True
        if name == "medicine":
            if value not in (None, "", "none"):
                return True
        elif value not in (None, "", [], False, "False", "false"):
            return True
    return False


def _changes(patient: Patient, day: dt.date, form: CheckinForm, error: CheckinStale) -> list[str]:
    """What the other save changed since the version the page was built from, in words."""
    seen = version_parts(form.cleaned_data["version"]) or (0, "")
    current = version_parts(error.current.version) or (0, "")
    lines = [
        f"{c.what}: {c.before} → {c.after}"
        for c in changes_since(patient=patient, day=day, number=seen[0])
    ]
    if seen[1] != current[1]:
        lines.append("brace hours or exercise answers changed")
    return lines


def _edit_problem(patient: Patient, day: dt.date) -> str | None:
    """Why the patient cannot change this day now (discharged, or outside the window)."""
    return edit_problem(
        day=day,
        today=patient.local_today(),
        enrolled_on=patient.enrolled_on,
        is_active=patient.is_active,
    )


def _entry_or_404(patient: Patient, day: str):
    parsed = _parse_day(day)
    entry = parsed and entries_for(patient=patient).filter(day=parsed).first()
    if not entry:
        raise Http404("No check-in for that day.")
    return entry


@patient_required
def checkin_saved(request: HttpRequest, patient: Patient, day: str) -> HttpResponse:
    """What the patient sees after saving: the day's summary and, if needed, urgent advice."""
    entry = _entry_or_404(patient, day)
    context = {
        "patient": patient,
        "entry": entry,
        "can_edit": _edit_problem(patient, entry.day) is None,
        **rehab_answers(patient=patient, day=entry.day),
    }
    return render(request, "tracker/checkin/saved.html", context)


@patient_for_guardian(GuardianScope.LOG)
def guardian_checkin_saved(request: HttpRequest, link: GuardianLink, day: str) -> HttpResponse:
    """What a guardian sees after saving: the day they entered and, if needed, urgent advice.
    Only a day they entered themselves (another's answers are not theirs to see)."""
    patient = link.patient
    entry = _entry_or_404(patient, day)
    if guardian_day_taken(patient=patient, day=entry.day, guardian=request.user):
        raise Http404("No check-in for that day.")
    context = {
        "patient": patient,
        "entry": entry,
        "can_edit": _edit_problem(patient, entry.day) is None,
        "guardian_link": link,
        "young_name": patient.user.first_name,
        **rehab_answers(patient=patient, day=entry.day),
    }
    return render(request, "tracker/checkin/saved.html", context)


def rehab_answers(*, patient: Patient, day: dt.date) -> dict[str, Any]:
    """What was saved for the day beyond the diary, for the confirmation: the brace hours (None
    when not asked) and each exercise answered, in programme order (two queries)."""
    brace = BraceLog.objects.filter(patient=patient, day=day).first()
    exercises = (
        ExerciseLog.objects.filter(patient=patient, day=day)
        .select_related("item__exercise")
        .order_by("item__order", "item_id")
    )
    return {"brace_log": brace, "exercise_logs": list(exercises)}


@patient_required
def diary_list(request: HttpRequest, patient: Patient) -> HttpResponse:
    page = Paginator(entries_for(patient=patient), 31).get_page(request.GET.get("page"))
    entries_entered_by(patient=patient, entries=list(page.object_list), viewer=request.user)
    today = patient.local_today()
    context = {
        "patient": patient,
        "page": page,
        "today": today,
        "oldest_open": first_open_day(today=today, enrolled_on=patient.enrolled_on),
        "window_days": EDIT_WINDOW_DAYS,
        "closed": CLOSED_AFTER_DISCHARGE,
    }
    return render(request, "tracker/checkin/diary_list.html", context)


@patient_required
def diary_entry(request: HttpRequest, patient: Patient, day: str) -> HttpResponse:
    entry = _entry_or_404(patient, day)
    entries_entered_by(patient=patient, entries=[entry], viewer=request.user)
    problem = _edit_problem(patient, entry.day)
    versions = entry_versions(entry=entry)
    context = {
        "patient": patient,
        "entry": entry,
        "versions": versions_entered_by(patient=patient, versions=versions, viewer=request.user),
        "can_edit": problem is None,
        "edit_problem": problem,
        "edit_url": f"{reverse('tracker:checkin')}?day={entry.day.isoformat()}",
        **rehab_answers(patient=patient, day=entry.day),
    }
    return render(request, "tracker/checkin/diary_entry.html", context)
