"""A patient's hospital or NHS number: one optional field, read as an NHS number when it looks like
one (ten digits, optionally spaced 3-3-4) and as the hospital's own number otherwise.

NHS number check digit (NHS Data Dictionary, "NHS Number"): multiply the first nine digits by
10, 9, ... 2 and add them; 11 minus the remainder of the sum divided by 11 is the check digit,
where 11 means 0 and 10 means the number is not valid. Plain functions over strings.
"""

import re

HOSPITAL_NUMBER_MAX_LENGTH = 20
# Ten digits, together or in the 3-3-4 groups the NHS prints ("943 476 5919").
_NHS_SHAPE = re.compile(r"\d{10}|\d{3} \d{3} \d{4}")
# Ten digits in some other grouping ("94 34 76 59 19", "943-476-5919") is a mistyped NHS number.
_TEN_DIGITS_OTHERWISE = re.compile(r"(?:\d[ -]*){9}\d")
# A hospital's own numbers: letters and digits, with spaces, dots, slashes or hyphens between.
_HOSPITAL_SHAPE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ./-]*[A-Za-z0-9])?")

NHS_GROUPING_MESSAGE = (
    "An NHS number is 10 digits, written together or spaced 3 3 4 (for example 943 476 5919)."
)
NHS_CHECK_MESSAGE = (
    "This is not a valid NHS number: its last digit does not match the other nine. "
    "Please check each digit against the patient's letter or card."
)
HOSPITAL_SHAPE_MESSAGE = (
    "Use letters and digits, with spaces, dots, slashes or hyphens between them "
    f"(up to {HOSPITAL_NUMBER_MAX_LENGTH} characters)."
)


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no check digit makes a valid number."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def looks_like_nhs_number(value: str) -> bool:
    """Ten digits, however they are grouped: an NHS number, or a mistyped one."""
    return bool(_TEN_DIGITS_OTHERWISE.fullmatch(value.strip()))


def hospital_number_problem(value: str) -> str | None:
    """What is wrong with a hospital or NHS number as typed, in the clinician's words, or None."""
    value = value.strip()
    if not value:
        return None
    if looks_like_nhs_number(value):
        if not _NHS_SHAPE.fullmatch(value):
            return NHS_GROUPING_MESSAGE
        digits = value.replace(" ", "")
        if nhs_check_digit(digits[:9]) != int(digits[9]):
            return NHS_CHECK_MESSAGE
        return None
    if len(value) > HOSPITAL_NUMBER_MAX_LENGTH or not _HOSPITAL_SHAPE.fullmatch(value):
        return HOSPITAL_SHAPE_MESSAGE
    return None


def normalise_hospital_number(value: str) -> str:
    """The number as stored: an NHS number as its ten digits, anything else as typed (trimmed)."""
    value = value.strip()
    return value.replace(" ", "") if _NHS_SHAPE.fullmatch(value) else value


def is_nhs_number(value: str) -> bool:
    return bool(re.fullmatch(r"\d{10}", value)) and nhs_check_digit(value[:9]) == int(value[9])


def display_hospital_number(value: str) -> str:
    """An NHS number as the NHS prints it (3-3-4); a hospital number as stored."""
    return f"{value[:3]} {value[3:6]} {value[6:]}" if is_nhs_number(value) else value


def hospital_number_label(value: str) -> str:
    return "NHS number" if is_nhs_number(value) else "Hospital number"
