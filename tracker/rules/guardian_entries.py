"""Check-ins a parent or guardian enters for a young person, the privacy of a day's note, and how
"who entered it" is said on pages and in exports (issue 16; docs/guardians.md "Entries made by a
guardian"). Plain values only."""


# -- entries made by a guardian (docs/guardians.md "Entries made by a guardian") -------------------

# What the check-in shows under the note, when the young person has a guardian.
NOTE_PRIVATE_LABEL = "Keep this note private (only you and your care team see it)"
GUARDIAN_NOTE_HELP = "{name} and their care team will see your note."


def note_private_value(*, chosen: bool | None, stored: bool | None, by_guardian: bool) -> bool:
    """Whether a day's note is private from guardians after a save.

    A guardian's own note is shared (they wrote it: it is not private from them, and the young
    person sees it). Otherwise the choice made on the page or in the API, and without one (no
    guardian, so no box shown; an API call leaving it out) what was stored, else private."""
    if by_guardian:
        return False
    if chosen is not None:
        return chosen
    return True if stored is None else stored


def guardian_day_problem(
    *, name: str, created_by: int | None, updated_by: int | None, guardian: int
) -> str:
    """Why a guardian may not log a day that already has a check-in: they may change only a day
    they entered themselves, so no answer (or private note) of the young person's, or of another
    guardian's, is shown to them or written over."""
    if created_by == guardian and updated_by == guardian:
        return ""
    return (
        f"{name} has already checked in for this day, so you cannot change it. "
        "Pick a day that has no check-in yet."
    )


# The roles an entry's author is reported as in exports (the research variant: the role only).
ENTERED_BY_ROLES = {"patient": "patient", "guardian": "guardian", "clinician": "clinician"}


def entered_by_role(role: str | None) -> str:
    """ "patient", "guardian" or "clinician" (what `entered_by` says in exports); "" unknown."""
    return ENTERED_BY_ROLES.get(role or "", "")


def entered_by_words(
    *, role: str | None, name: str, relationship: str = "", you: bool = False
) -> str:
    """ "Entered by Asha Patel (parent)", "Entered by you", "Entered by Maya Patel (patient)"."""
    if you:
        return "Entered by you"
    kind = entered_by_role(role)
    if not kind:
        return ""
    return f"Entered by {name} ({relationship.lower() if relationship else kind})"
