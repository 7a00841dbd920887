"""How a questionnaire is split into screens for a phone: plain data, no ORM."""

from dataclasses import dataclass

ACTIVITIES = "activities"
ITEMS = "items"


@dataclass(frozen=True)
class Step:
    kind: str  # activities | items
    items: tuple[dict, ...] = ()
    title: str = ""


def steps_for(
    *, definition: dict, items: list[dict], activities: list[str], names_activities: bool
) -> list[Step]:
    """The screens of one response, in order.

    PSFS: at baseline one screen to name the activities, then one to rate them all; at follow-up
    only the rating screen, for the same activities. Other instruments: every item on one screen,
    or one item per screen (the ODI's sections), as the definition's layout says.
    """
    if definition.get("activities"):
        scale = items[0]
        rated = tuple(
            {**scale, "key": str(n), "label": name} for n, name in enumerate(activities, start=1)
        )
        rating = Step(kind=ITEMS, items=rated, title=scale["text"])
        return (
            [Step(kind=ACTIVITIES, title=definition["activities"]["prompt"]), rating]
            if (names_activities)
            else [rating]
        )
    labelled = [{**item, "label": item["text"]} for item in items]
    if definition["layout"] == "one_per_screen":
        return [Step(kind=ITEMS, items=(item,), title=item["section"]) for item in labelled]
    return [Step(kind=ITEMS, items=tuple(labelled), title=definition["patient_title"])]


def max_skipped(definition: dict) -> int:
    """How many items the instrument's scoring rule lets the patient skip (0 for most)."""
    return int(definition["scoring"].get("max_skipped", 0))


def first_open_step(
    steps: list[Step], answers: dict, activities: list[str], *, min_activities: int = 0
) -> int:
    """The 1-based step a returning patient resumes at: the first with an unanswered item."""
    for n, step in enumerate(steps, start=1):
        if step.kind == ACTIVITIES and len(activities) < max(min_activities, 1):
            return n
        if step.kind == ITEMS and any(item["key"] not in answers for item in step.items):
            return n
    return len(steps)
