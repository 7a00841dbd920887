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
from tracker.access import patient_required
from tracker.forms.checkin import CheckinForm
from tracker.models import Patient
from tracker.rules.checkin import (
    CLOSED_AFTER_DISCHARGE,
    EDIT_WINDOW_DAYS,
    day_problem,
    edit_problem,
    first_open_day,
    is_day_open,
    version_parts,
)
from tracker.selectors.checkin import answers_for, changes_since, entries_for, entry_versions
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
    today = patient.local_today()
    if not patient.is_active:
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
        form = CheckinForm.for_day(patient=patient, day=day, today=today, data=request.POST)
        if form.is_valid():
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
                form.page_out_of_date(error=error, changes=_changes(patient, day, form, error))
            except CheckinNotAllowed as error:
                form.add_error(None if error.code == "changed" else "day", error)
            else:
                if result.created:
                    messages.success(request, "Saved. Well done for checking in!")
                elif result.changed:
                    messages.success(request, "Saved. We've updated that day.")
                else:
                    messages.success(request, "Saved. Nothing had changed.")
                return redirect("tracker:checkin_saved", day=result.entry.day.isoformat())
    else:
        form = CheckinForm.for_day(patient=patient, day=day, today=today)

    # The browser's maxlength would cut a pasted note silently: the form refuses a long note with
    # a message beside it instead, and the page states the limit (and counts, with JS).
    note = form.fields["note"]
    note.widget.attrs.pop("maxlength", None)
    note.widget.attrs["aria-describedby"] = f"{form['note'].auto_id}_helptext"
    errors = error_links(form)
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
    }
    return render(request, "tracker/checkin/checkin.html", context)


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
    problem = _edit_problem(patient, entry.day)
    context = {
        "patient": patient,
        "entry": entry,
        "versions": entry_versions(entry=entry),
        "can_edit": problem is None,
        "edit_problem": problem,
        "edit_url": f"{reverse('tracker:checkin')}?day={entry.day.isoformat()}",
        **rehab_answers(patient=patient, day=entry.day),
    }
    return render(request, "tracker/checkin/diary_entry.html", context)
