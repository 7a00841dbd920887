"""Forms for prescribing (clinician) and the exercise library. (The patient's brace and exercise
answers are part of the check-in form, tracker/forms/checkin.py.)"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from rehab.models import ActivityStage, BraceKind, Exercise, Phase, ProgrammeItem
from rehab.sensors.formats import MAX_BYTES, DateOrder
from tracker.forms.fields import ModelMultipleChoiceField, count_field, hours_field
from tracker.forms.people import DateInput


class EffectiveFromMixin(forms.Form):
    valid_from = forms.DateField(
        label="Starts on",
        widget=DateInput(),
        help_text="Usually today. Earlier days keep what was prescribed then.",
    )
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_valid_from(self) -> dt.date:
        day = self.cleaned_data["valid_from"]
        if day.year < 2000:
            raise ValidationError("Please check the year.")
        return day


# --- Clinician: prescribing --------------------------------------------------------------------


class ProgrammeForm(EffectiveFromMixin):
    """The whole programme at once: tick the exercises to include and set each one's dosage."""

    # The safe field: a huge id is an invalid choice, not an overflow in `pk__in` (a 500).
    exercises = ModelMultipleChoiceField(
        queryset=Exercise.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "%(value)s is not an exercise your clinic can use."},
    )

    def __init__(self, *args, exercises, current: list[ProgrammeItem] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.library = list(exercises)
        self.fields["exercises"].queryset = Exercise.objects.filter(
            pk__in=[e.pk for e in self.library]
        )
        by_exercise = {item.exercise_id: item for item in current}
        if not self.is_bound:
            self.initial["exercises"] = [pk for pk in by_exercise]
        for exercise in self.library:
            source = by_exercise.get(exercise.pk, exercise)
            fields = {
                "phase": forms.ChoiceField(label="Phase", choices=Phase.choices, required=False),
                "sets": count_field("Sets", 1, 20, required=False),
                "reps": count_field("Reps", 1, 100, required=False),
                "hold": count_field("Hold (s)", 0, 300, required=False),
                "spw": count_field("Sessions/week", 1, 7, required=False),
            }
            values = {
                "phase": source.phase,
                "sets": source.sets,
                "reps": source.reps,
                "hold": source.hold_seconds,
                "spw": source.sessions_per_week,
            }
            for name, field in fields.items():
                key = f"{name}_{exercise.pk}"
                self.fields[key] = field
                self.initial.setdefault(key, values[name])

    def rows(self) -> list[dict]:
        """One row per library exercise, for the template: checkbox plus dosage fields."""
        boxes = {str(w.data["value"]): w for w in self["exercises"]}
        return [
            {
                "exercise": e,
                "checkbox": boxes.get(str(e.pk)),
                "fields": [self[f"{n}_{e.pk}"] for n in ("sets", "reps", "hold", "spw", "phase")],
            }
            for e in self.library
        ]

    def clean(self) -> dict:
        data = super().clean()
        for exercise in data.get("exercises") or []:
            for name in ("phase", "sets", "reps", "hold", "spw"):
                key = f"{name}_{exercise.pk}"
                if data.get(key) in (None, "") and key not in self.errors:
                    self.add_error(key, f"Enter this for {exercise.name}.")
        return data

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "exercise": e,
                "phase": data[f"phase_{e.pk}"],
                "sets": data[f"sets_{e.pk}"],
                "reps": data[f"reps_{e.pk}"],
                "hold_seconds": data[f"hold_{e.pk}"],
                "sessions_per_week": data[f"spw_{e.pk}"],
            }
            for e in self.library
            if e in data["exercises"]
        ]


class BraceForm(EffectiveFromMixin):
    kind = forms.ChoiceField(label="Brace", choices=BraceKind.choices, widget=forms.RadioSelect)
    target_hours = hours_field("Target hours per day", required=False, minimum="0.5")
    planned_end = forms.DateField(
        label="Planned last day",
        required=False,
        widget=DateInput(),
        help_text="Often about 3-4 months after the start.",
    )
    wean_from = forms.DateField(label="Weaning starts on", required=False, widget=DateInput())
    wean_hours = hours_field("Hours per day while weaning", required=False, minimum="0.5")

    def clean(self) -> dict:
        data = super().clean()
        kind, start = data.get("kind"), data.get("valid_from")
        if kind == BraceKind.NONE:
            for name in ("target_hours", "planned_end", "wean_from", "wean_hours"):
                data[name] = None
            return data
        if kind and data.get("target_hours") is None and "target_hours" not in self.errors:
            self.add_error("target_hours", "Enter how many hours a day the brace should be worn.")
        end = data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The planned last day cannot be before the start.")
        wean_from, wean_hours = data.get("wean_from"), data.get("wean_hours")
        if (wean_from is None) != (wean_hours is None) and not self.errors.get("wean_hours"):
            missing = "wean_hours" if wean_hours is None else "wean_from"
            self.add_error(missing, "A weaning plan needs both a start day and hours per day.")
        if wean_from and start and wean_from <= start:
            self.add_error("wean_from", "Weaning must start after the brace starts.")
        if wean_from and end and wean_from > end:
            self.add_error("wean_from", "Weaning must start before the planned last day.")
        target = data.get("target_hours")
        if wean_hours is not None and target is not None and wean_hours >= target:
            self.add_error("wean_hours", "While weaning, hours should be fewer than the target.")
        return data


class StageForm(EffectiveFromMixin):
    stage = forms.ChoiceField(
        label="Activity stage", choices=ActivityStage.choices, widget=forms.RadioSelect
    )


# --- Clinician: the clinic's exercise library ---------------------------------------------------


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = [
            "name",
            "purpose",
            "phase",
            "instructions",
            "cautions",
            "sets",
            "reps",
            "hold_seconds",
            "sessions_per_week",
            "image",
            "image_alt",
        ]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 6}),
            "cautions": forms.Textarea(attrs={"rows": 3}),
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {
            "instructions": "One step per line, in words a 12-year-old understands.",
            "cautions": "One per line, e.g. “Do not arch your lower back.”",
            "image": "Optional. JPEG, PNG or WebP, at most 2 MB. Only your clinic sees it.",
            "image_alt": "What the picture shows, for people who cannot see it.",
        }

    def __init__(self, *args, clinic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        limits = {
            "sets": (1, 20),
            "reps": (1, 100),
            "hold_seconds": (0, 300),
            "sessions_per_week": (1, 7),
        }
        for name, (low, high) in limits.items():
            field = self.fields[name]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update({"min": low, "max": high, "inputmode": "numeric"})

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Exercise.objects.filter(clinic=self.clinic, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError("Your clinic already has an exercise with this name.")
        return name

    # The picture's size, format and dimensions are checked by the model field's validator
    # (tracker/security/uploads.py), the one rule the admin's uploads follow too.

    def clean(self) -> dict:
        data = super().clean()
        if data.get("image") and not data.get("image_alt") and hasattr(data["image"], "image"):
            self.add_error("image_alt", "Describe the picture in a few words.")
        return data


# --- Clinician: brace sensor files -------------------------------------------------------------


class SensorFileForm(forms.Form):
    """A brace temperature logger's export (Orthotimer or iButton), with what its file lacks."""

    file = forms.FileField(
        label="Sensor file",
        help_text=(
            "The CSV export of an Orthotimer or an iButton (OneWireViewer), at most "
            f"{MAX_BYTES // 1024 // 1024} MB."
        ),
    )
    serial = forms.CharField(
        label="Sensor serial (Orthotimer)",
        required=False,
        max_length=64,
        help_text="An Orthotimer file names no sensor: its serial, or blank for the file's name. "
        "An iButton file names its own.",
    )
    date_order = forms.ChoiceField(
        label="Date order (iButton)",
        required=False,
        choices=[
            ("", "Work it out from the dates"),
            (DateOrder.DAY_FIRST.value, "Day first (21/08/16)"),
            (DateOrder.MONTH_FIRST.value, "Month first (08/21/16)"),
        ],
        help_text="Needed only if the dates read both ways; the page then says so.",
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_BYTES // 1024 // 1024} MB. Export a shorter period."
            )
        return upload.read(MAX_BYTES + 1)

    def clean_date_order(self) -> DateOrder | None:
        value = self.cleaned_data["date_order"]
        return DateOrder(value) if value else None
