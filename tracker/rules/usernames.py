"""Usernames that could pass for someone else's: letters from more than one writing system.

"аdmin" with a Cyrillic "а" looks like "admin" but is another account; so does "dr.оkafor". A
username may use one script (Latin, Cyrillic, Greek, Arabic, ...), or Latin with the scripts
that are written together in one language (Japanese, Chinese, Korean), as in Unicode's
"highly restrictive" profile (UTS #39, section 5.2). Plain functions over strings: the script of
a character comes from its Unicode name, which needs nothing beyond the standard library.
"""

import unicodedata

# Scripts written together in one language, each also allowed with Latin (UTS #39, 5.2).
_SCRIPT_FAMILIES = [
    {"Latin", "Han", "Hiragana", "Katakana"},
    {"Latin", "Han", "Bopomofo"},
    {"Latin", "Han", "Hangul"},
]
# Unicode names whose first word is not the script's name.
_NAME_PREFIXES = {
    "CJK": "Han",
    "HALFWIDTH KATAKANA": "Katakana",
    "HALFWIDTH HANGUL": "Hangul",
    "KATAKANA-HIRAGANA": "Katakana",
}


def normalise_username(username: str) -> str:
    """NFKC, as Django's own username field does: a fullwidth "ａｄｍｉｎ" becomes "admin"."""
    return unicodedata.normalize("NFKC", username)


def character_script(character: str) -> str | None:
    """The script a letter or digit belongs to; None for ASCII digits, marks and punctuation."""
    if character.isascii():
        return "Latin" if character.isalpha() else None
    category = unicodedata.category(character)
    if category[0] not in {"L", "N"}:
        return None  # combining marks take their base letter's script; symbols have none
    name = unicodedata.name(character, "")
    for prefix, script in _NAME_PREFIXES.items():
        if name.startswith(prefix):
            return script
    # "LATIN SMALL LETTER E WITH ACUTE", "CYRILLIC SMALL LETTER A", "ARABIC-INDIC DIGIT ONE",
    # "MATHEMATICAL BOLD SMALL A" (a look-alike, so a script of its own here).
    first = name.replace("-", " ").split(" ")[0] if name else "Unknown"
    return first.capitalize()


def username_scripts(username: str) -> set[str]:
    """Every script the username's letters and digits come from."""
    return {s for s in (character_script(c) for c in username) if s is not None}


def mixed_script_message(username: str) -> str | None:
    """What to tell someone whose username mixes scripts; None when the username is fine."""
    scripts = username_scripts(username)
    if len(scripts) <= 1 or any(scripts <= family for family in _SCRIPT_FAMILIES):
        return None
    return (
        "Use letters from one alphabet only: this username mixes "
        f"{' and '.join(sorted(scripts))} letters, so it could be mistaken for someone else's."
    )
