"""Instrument definition files and licensed wording files: reading and validating them.

A definition file (JSON) says what an instrument asks and how it is scored; see
tracker/instruments/*.json and docs/outcomes.md. A wording file supplies the questions and answer
labels of an instrument whose wording we may not ship (the ODI). Validation names the problem with
the path of the offending key, e.g. `items[2].options[1].value: must be a whole number`.
"""

import json
from pathlib import Path
from typing import Any

from tracker.rules.outcomes.scoring import HIGHER, LOWER, RULE_MEAN, RULE_PERCENT_OF_MAX, RULES

FORMAT = 1
LICENCES = ("free", "licensed")
LAYOUTS = ("single_screen", "one_per_screen")
ITEM_TYPES = ("choice", "scale")
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")
BUILTIN_DIR = Path(__file__).resolve().parents[2] / "instruments"


class DefinitionError(ValueError):
    """A definition or wording file is malformed; the message names the problem."""


def _need(data: dict, key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
    path = f"{where}{key}"
    if key not in data:
        raise DefinitionError(f"{path}: missing")
    value = data[key]
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DefinitionError(f"{path}: must be {_kind_words(names)}, not {value!r}")
    if isinstance(value, str) and not value.strip():
        raise DefinitionError(f"{path}: must not be empty")
    return value


def _kind_words(names: str) -> str:
    words = {"str": "text", "int": "a whole number", "list": "a list", "dict": "an object"}
    words |= {"bool": "true or false", "float": "a number", "NoneType": "null"}
    return " or ".join(words.get(n, n) for n in names.split(" or "))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _key(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value or not set(value) <= KEY_CHARS:
        raise DefinitionError(f"{path}: must be lower-case letters, digits and _ only")
    return value


def _options(raw: Any, path: str) -> list[dict]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise DefinitionError(f"{path}: must be a list of at least 2 answer options")
    options, seen = [], set()
    for i, option in enumerate(raw):
        where = f"{path}[{i}]."
        if not isinstance(option, dict):
            raise DefinitionError(f"{path}[{i}]: must be an object with value and label")
        value = _need(option, "value", int, where)
        label = _need(option, "label", str, where)
        if value in seen:
            raise DefinitionError(f"{where}value: {value} is used by two options")
        seen.add(value)
        options.append({"value": value, "label": label})
    return options


def _item(raw: Any, i: int, *, wording: bool) -> dict:
    path = f"items[{i}]"
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path}: must be an object")
    where = f"{path}."
    item = {"key": _key(_need(raw, "key", str, where), f"{where}key")}
    item["section"] = raw.get("section", "")
    item_type = _need(raw, "type", str, where)
    if item_type not in ITEM_TYPES:
        raise DefinitionError(f"{where}type: unknown item type {item_type!r} (use choice or scale)")
    item["type"] = item_type
    if item_type == "scale":
        low, high = _need(raw, "min", int, where), _need(raw, "max", int, where)
        if low >= high:
            raise DefinitionError(f"{where}max: must be greater than min")
        item |= {"min": low, "max": high, "values": list(range(low, high + 1))}
        item["text"] = _need(raw, "text", str, where)
        item["min_label"] = _need(raw, "min_label", str, where)
        item["max_label"] = _need(raw, "max_label", str, where)
        item["options"] = [{"value": v, "label": str(v)} for v in item["values"]]
        return item
    if "options" in raw:
        item["options"] = _options(raw["options"], f"{where}options")
        item["values"] = sorted(o["value"] for o in item["options"])
        item["text"] = _need(raw, "text", str, where)
    elif wording:
        raise DefinitionError(
            f"{where}options: missing (only a licensed instrument may leave its wording out)"
        )
    else:
        values = _need(raw, "values", list, where)
        if len(values) < 2 or not all(_is_int(v) for v in values):
            raise DefinitionError(f"{where}values: must be a list of at least 2 whole numbers")
        item["values"] = sorted(values)
        item["text"], item["options"] = "", []
    return item


def validate_definition(data: Any) -> dict:
    """A clean copy of an instrument definition, or DefinitionError naming the problem."""
    if not isinstance(data, dict):
        raise DefinitionError("the file must hold one JSON object")
    if data.get("format") != FORMAT:
        raise DefinitionError(f"format: must be {FORMAT}, not {data.get('format')!r}")
    clean: dict[str, Any] = {"format": FORMAT}
    clean["code"] = _key(_need(data, "code", str), "code")
    for key in ("name", "short_name", "version", "description", "source", "patient_title"):
        clean[key] = _need(data, key, str)
    clean["patient_intro"] = data.get("patient_intro", "")
    licence = _need(data, "licence", str)
    if licence not in LICENCES:
        raise DefinitionError(f"licence: must be one of {', '.join(LICENCES)}, not {licence!r}")
    clean["licence"] = licence
    clean["licence_note"] = data.get("licence_note", "")
    if licence == "licensed" and not clean["licence_note"]:
        raise DefinitionError("licence_note: a licensed instrument must explain its licence")
    clean["loinc"] = _loinc(data.get("loinc"))
    layout = _need(data, "layout", str)
    if layout not in LAYOUTS:
        raise DefinitionError(f"layout: must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    clean["layout"] = layout
    clean["at_baseline"] = _need(data, "at_baseline", bool)
    clean["default_schedule"] = _need(data, "default_schedule", bool)
    clean["better"] = _need(data, "better", str)
    if clean["better"] not in (HIGHER, LOWER):
        raise DefinitionError(f"better: must be {HIGHER} or {LOWER}, not {clean['better']!r}")
    clean["score_decimals"] = data.get("score_decimals", 1)
    if not _is_int(clean["score_decimals"]) or not 0 <= clean["score_decimals"] <= 2:
        raise DefinitionError("score_decimals: must be 0, 1 or 2")

    raw_items = _need(data, "items", list)
    if not raw_items:
        raise DefinitionError("items: must list at least one item")
    items = [_item(raw, i, wording=licence == "free") for i, raw in enumerate(raw_items)]
    keys = [item["key"] for item in items]
    for key in keys:
        if keys.count(key) > 1:
            raise DefinitionError(f"items: the key {key!r} is used twice")
    clean["items"] = items

    clean["activities"] = None
    if "activities" in data:
        clean["activities"] = _activities(data["activities"], items)

    clean["score_range"] = _score_range(data)
    clean["scoring"] = _scoring(_need(data, "scoring", dict), clean)
    clean["mcid"] = _mcid(_need(data, "mcid", dict), clean)
    clean["bands"] = _bands(data.get("bands", []), clean["score_range"])
    return clean


def _loinc(raw: Any) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise DefinitionError("loinc: must be null or an object with code and checked")
    code = _need(raw, "code", str, "loinc.")
    checked = _need(raw, "checked", bool, "loinc.")
    return {"code": code, "checked": checked, "note": raw.get("note", "")}


def _activities(raw: Any, items: list[dict]) -> dict:
    if not isinstance(raw, dict):
        raise DefinitionError("activities: must be an object")
    low, high = _need(raw, "min", int, "activities."), _need(raw, "max", int, "activities.")
    if not 1 <= low <= high <= 10:
        raise DefinitionError("activities.max: need 1 <= min <= max <= 10")
    if len(items) != 1 or items[0]["type"] != "scale":
        raise DefinitionError("items: an instrument with activities has exactly one scale item")
    return {
        "min": low,
        "max": high,
        "max_length": raw.get("max_length", 80),
        "prompt": _need(raw, "prompt", str, "activities."),
        "help": raw.get("help", ""),
        "examples": raw.get("examples", []),
    }


def _score_range(data: dict) -> list[float]:
    raw = _need(data, "score_range", list)
    if len(raw) != 2 or not all(isinstance(v, int | float) for v in raw) or raw[0] >= raw[1]:
        raise DefinitionError(
            f"score_range: must be [lowest, highest] with lowest < highest: {raw}"
        )
    return [raw[0], raw[1]]


def _scoring(raw: dict, clean: dict) -> dict:
    rule = _need(raw, "rule", str, "scoring.")
    if rule not in RULES:
        raise DefinitionError(
            f"scoring.rule: unknown scoring rule {rule!r} (known: {', '.join(RULES)})"
        )
    items, (low, high) = clean["items"], clean["score_range"]
    if rule == RULE_MEAN:
        if clean["activities"] is None:
            raise DefinitionError("scoring.rule: the mean rule needs an activities section")
        item = items[0]
        if item["min"] < low or item["max"] > high:
            raise DefinitionError("score_range: the mean of the ratings can fall outside it")
        return {
            "rule": rule,
            "min_items": clean["activities"]["min"],
            "max_items": clean["activities"]["max"],
        }
    if rule == RULE_PERCENT_OF_MAX:
        item_max = _need(raw, "item_max", int, "scoring.")
        max_skipped = _need(raw, "max_skipped", int, "scoring.")
        for i, item in enumerate(items):
            if item["values"] != list(range(item_max + 1)):
                raise DefinitionError(
                    f"items[{i}].values: percent_of_max needs answers 0 to {item_max}"
                )
        if not 0 <= max_skipped < len(items):
            raise DefinitionError(
                "scoring.max_skipped: must be at least 0 and below the item count"
            )
        if (low, high) != (0, 100):
            raise DefinitionError("score_range: percent_of_max scores run from 0 to 100")
        return {"rule": rule, "item_max": item_max, "max_skipped": max_skipped}
    item_key = _need(raw, "item", str, "scoring.")
    item = next((i for i in items if i["key"] == item_key), None)
    if item is None:
        raise DefinitionError(f"scoring.item: no item has the key {item_key!r}")
    if min(item["values"]) < low or max(item["values"]) > high:
        raise DefinitionError(
            f"score_range: the answers to {item_key!r} ({min(item['values'])} to "
            f"{max(item['values'])}) fall outside {low} to {high}"
        )
    return {"rule": rule, "item": item_key}


def _mcid(raw: dict, clean: dict) -> dict:
    source = _need(raw, "source", str, "mcid.")
    if "rating_at_least" in raw:
        value = _need(raw, "rating_at_least", (int, float), "mcid.")
        return {"rating_at_least": value, "source": source}
    points = _need(raw, "points", (int, float), "mcid.")
    if points <= 0:
        raise DefinitionError("mcid.points: must be above 0")
    percent = raw.get("percent")
    if percent is not None and (not isinstance(percent, int | float) or not 0 < percent <= 100):
        raise DefinitionError("mcid.percent: must be null or a number from 1 to 100")
    per_item = raw.get("per_item_points")
    return {"points": points, "percent": percent, "per_item_points": per_item, "source": source}


def _bands(raw: Any, score_range: list[float]) -> list[dict]:
    if not isinstance(raw, list):
        raise DefinitionError("bands: must be a list")
    bands, last = [], None
    for i, band in enumerate(raw):
        if not isinstance(band, dict):
            raise DefinitionError(f"bands[{i}]: must be an object with up_to and label")
        up_to = _need(band, "up_to", (int, float), f"bands[{i}].")
        label = _need(band, "label", str, f"bands[{i}].")
        if last is not None and up_to <= last:
            raise DefinitionError(f"bands[{i}].up_to: bands must rise ({up_to} after {last})")
        last = up_to
        bands.append({"up_to": up_to, "label": label})
    if bands and bands[-1]["up_to"] != score_range[1]:
        raise DefinitionError(f"bands: the last band must reach the top score ({score_range[1]})")
    return bands


def validate_wording(data: Any, definition: dict) -> dict[str, dict]:
    """Item key -> {text, options} for a licensed instrument, or DefinitionError."""
    if not isinstance(data, dict):
        raise DefinitionError("the file must hold one JSON object")
    raw_items = _need(data, "items", list)
    by_key: dict[str, dict] = {}
    for i, raw in enumerate(raw_items):
        where = f"items[{i}]."
        if not isinstance(raw, dict):
            raise DefinitionError(f"items[{i}]: must be an object")
        key = _need(raw, "key", str, where)
        item = next((it for it in definition["items"] if it["key"] == key), None)
        if item is None:
            raise DefinitionError(f"{where}key: {definition['code']} has no item {key!r}")
        if key in by_key:
            raise DefinitionError(f"{where}key: {key!r} is worded twice")
        options = _options(raw.get("options"), f"{where}options")
        values = sorted(o["value"] for o in options)
        if values != item["values"]:
            raise DefinitionError(
                f"{where}options: values must be exactly {item['values']}, not {values}"
            )
        by_key[key] = {"text": _need(raw, "text", str, where), "options": options}
    missing = [it["key"] for it in definition["items"] if it["key"] not in by_key]
    if missing:
        raise DefinitionError(f"items: no wording for {', '.join(missing)}")
    return by_key


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DefinitionError("file not found") from None
    except UnicodeDecodeError:
        raise DefinitionError("the file is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise DefinitionError(f"not valid JSON: {error}") from None


def builtin_paths() -> list[Path]:
    return sorted(BUILTIN_DIR.glob("*.json"))
