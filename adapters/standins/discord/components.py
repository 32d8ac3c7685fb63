"""Buttons, selects and modals: Discord's layout rules, and the shape Discord gives them back in."""

from __future__ import annotations

from typing import Any

from adapters.standins.discord.contract import JsonPath
from adapters.standins.discord.errors import FormErrors
from adapters.standins.snapshots import snapshot

ACTION_ROW = 1
BUTTON = 2
STRING_SELECT = 3
TEXT_INPUT = 4
USER_SELECT = 5
ROLE_SELECT = 6
MENTIONABLE_SELECT = 7
CHANNEL_SELECT = 8
TEXT_DISPLAY = 10
LABEL = 18
SELECTS = frozenset({STRING_SELECT, USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT})

LINK = 5
PREMIUM = 6
MAX_ROWS = 5
ROW_WIDTH = 5
MAX_OPTIONS = 25
CUSTOM_ID = 100
MODAL_ITEMS = 5


def check_message_components(form: FormErrors, rows: Any, path: JsonPath = ("components",)) -> None:
    """Record every way a message's component rows break Discord's rules."""
    if rows is None:
        return
    if not isinstance(rows, list):
        form.wrong_type(path, "array", rows)
        return
    if len(rows) > MAX_ROWS:
        form.too_long(path, MAX_ROWS)
    seen: set[str] = set()
    for index, row in enumerate(rows):
        where = (*path, index)
        if not isinstance(row, dict) or row.get("type") != ACTION_ROW:
            form.add(where, "UNION_TYPE_CHOICES", "Top-level components must be action rows.")
            continue
        children = row.get("components")
        if not isinstance(children, list) or not children:
            form.add((*where, "components"), "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")
            continue
        width = 0
        for position, child in enumerate(children):
            spot = (*where, "components", position)
            if not isinstance(child, dict):
                form.wrong_type(spot, "object", child)
                continue
            width += ROW_WIDTH if child.get("type") in SELECTS else 1
            _check_interactive(form, child, spot, seen)
        if width > ROW_WIDTH:
            form.add(
                (*where, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )


def check_modal(form: FormErrors, modal: Any, path: JsonPath = ("data",)) -> None:
    """Record every way a modal breaks Discord's rules."""
    if not isinstance(modal, dict):
        form.required(path)
        return
    _text(form, modal.get("custom_id"), (*path, "custom_id"), 1, CUSTOM_ID, required=True)
    _text(form, modal.get("title"), (*path, "title"), 1, 45, required=True)
    items = modal.get("components")
    if not isinstance(items, list) or not 1 <= len(items) <= MODAL_ITEMS:
        form.length_between((*path, "components"), 1, MODAL_ITEMS)
        return
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = (*path, "components", index)
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == ACTION_ROW and isinstance(item, dict):
            inner = item.get("components")
            if (
                not isinstance(inner, list)
                or len(inner) != 1
                or not isinstance(inner[0], dict)
                or inner[0].get("type") != TEXT_INPUT
            ):
                form.add(
                    where, "COMPONENT_TYPE_INVALID", "A modal row holds exactly one text input."
                )
                continue
            _check_text_input(form, inner[0], (*where, "components", 0), seen, labelled=False)
        elif kind == LABEL and isinstance(item, dict):
            _text(form, item.get("label"), (*where, "label"), 1, 45, required=True)
            _text(form, item.get("description"), (*where, "description"), 0, 100)
            _check_labelled(form, item.get("component"), (*where, "component"), seen)
        elif kind != TEXT_DISPLAY:
            form.add(where, "UNION_TYPE_CHOICES", "Modals hold rows, labels and text displays.")


def render_components(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The rows as Discord returns them: every component numbered, defaults filled in."""
    numbered = snapshot(rows or [])
    counter = 0
    for row in numbered:
        counter += 1
        row["id"] = counter
        for child in row.get("components", ()):
            counter += 1
            child["id"] = counter
            for key in [k for k, v in child.items() if v is None]:
                del child[key]
            if child["type"] in SELECTS:
                child.setdefault("min_values", 1)
                child.setdefault("max_values", 1)
    return numbered


def _check_interactive(
    form: FormErrors, child: dict[str, Any], path: JsonPath, seen: set[str]
) -> None:
    kind = child.get("type")
    if kind == BUTTON:
        _check_button(form, child, path, seen)
    elif kind in SELECTS:
        _custom_id(form, child, path, seen)
        _text(form, child.get("placeholder"), (*path, "placeholder"), 0, 150)
        _check_select_counts(form, child, path)
    else:
        form.add(
            (*path, "type"), "COMPONENT_TYPE_INVALID", f"Component type {kind} is not allowed here."
        )


def _check_button(form: FormErrors, button: dict[str, Any], path: JsonPath, seen: set[str]) -> None:
    style = button.get("style")
    _text(form, button.get("label"), (*path, "label"), 0, 80)
    if style == LINK:
        if not button.get("url"):
            form.required((*path, "url"))
        if button.get("custom_id") is not None:
            form.add(
                (*path, "custom_id"),
                "BUTTON_COMPONENT_URL_CUSTOM_ID_CONFLICT",
                "A link button cannot have a custom_id.",
            )
        _text(form, button.get("url"), (*path, "url"), 1, 512)
    elif style == PREMIUM:
        if not button.get("sku_id"):
            form.required((*path, "sku_id"))
    elif style in (1, 2, 3, 4):
        if button.get("url") is not None:
            form.add(
                (*path, "url"), "BUTTON_COMPONENT_INVALID_URL", "Only link buttons have a url."
            )
        _custom_id(form, button, path, seen)
    else:
        form.add(
            (*path, "style"), "ENUM_TYPE_COERCE", f"Value {style!r} is not a valid enum value."
        )
    if style != PREMIUM and not button.get("label") and not button.get("emoji"):
        form.add(
            path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A button needs a label or an emoji."
        )


def _check_select_counts(form: FormErrors, select: dict[str, Any], path: JsonPath) -> None:
    low = select.get("min_values")
    high = select.get("max_values")
    low = 1 if low is None else low
    high = 1 if high is None else high
    if not isinstance(low, int) or not 0 <= low <= MAX_OPTIONS:
        form.add((*path, "min_values"), "NUMBER_TYPE_MAX", "Value should be between 0 and 25.")
    if not isinstance(high, int) or not 1 <= high <= MAX_OPTIONS:
        form.add((*path, "max_values"), "NUMBER_TYPE_MAX", "Value should be between 1 and 25.")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        form.add(
            (*path, "min_values"),
            "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
            "min_values exceeds max_values.",
        )
    if select.get("type") != STRING_SELECT:
        return
    options = select.get("options")
    if not isinstance(options, list) or not 1 <= len(options) <= MAX_OPTIONS:
        form.length_between((*path, "options"), 1, MAX_OPTIONS)
        return
    values: set[str] = set()
    for index, option in enumerate(options):
        spot = (*path, "options", index)
        if not isinstance(option, dict):
            form.wrong_type(spot, "object", option)
            continue
        _text(form, option.get("label"), (*spot, "label"), 1, 100, required=True)
        _text(form, option.get("value"), (*spot, "value"), 1, 100, required=True)
        _text(form, option.get("description"), (*spot, "description"), 0, 100)
        value = str(option.get("value"))
        if value in values:
            form.add(
                (*spot, "value"),
                "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                "Option values must be unique.",
            )
        values.add(value)
    if isinstance(high, int) and high > len(options):
        form.add(
            (*path, "max_values"),
            "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
            "max_values exceeds the options.",
        )


def _check_labelled(form: FormErrors, child: Any, path: JsonPath, seen: set[str]) -> None:
    kind = child.get("type") if isinstance(child, dict) else None
    if kind == TEXT_INPUT and isinstance(child, dict):
        _check_text_input(form, child, path, seen, labelled=True)
    elif kind in SELECTS and isinstance(child, dict):
        _custom_id(form, child, path, seen)
        _check_select_counts(form, child, path)
    else:
        form.add(path, "UNION_TYPE_CHOICES", "A label holds a text input or a select.")


def _check_text_input(
    form: FormErrors, field: dict[str, Any], path: JsonPath, seen: set[str], *, labelled: bool
) -> None:
    _custom_id(form, field, path, seen)
    if field.get("style") not in (1, 2):
        form.add(
            (*path, "style"),
            "ENUM_TYPE_COERCE",
            f"Value {field.get('style')!r} is not a valid enum value.",
        )
    # Inside a label the label's text names the field; a bare row's input carries its own.
    _text(form, field.get("label"), (*path, "label"), 1, 45, required=not labelled)
    _text(form, field.get("placeholder"), (*path, "placeholder"), 0, 100)
    _text(form, field.get("value"), (*path, "value"), 0, 4000)
    for key, low in (("min_length", 0), ("max_length", 1)):
        bound = field.get(key)
        if bound is not None and (not isinstance(bound, int) or not low <= bound <= 4000):
            form.add((*path, key), "NUMBER_TYPE_MAX", f"Value should be between {low} and 4000.")


def _custom_id(form: FormErrors, component: dict[str, Any], path: JsonPath, seen: set[str]) -> None:
    custom_id = component.get("custom_id")
    _text(form, custom_id, (*path, "custom_id"), 1, CUSTOM_ID, required=True)
    if isinstance(custom_id, str):
        if custom_id in seen:
            form.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.add(custom_id)


def _text(
    form: FormErrors, value: Any, path: JsonPath, low: int, high: int, *, required: bool = False
) -> None:
    if value is None:
        if required:
            form.required(path)
        return
    if not isinstance(value, str):
        form.wrong_type(path, "string", value)
    elif not low <= len(value) <= high:
        if low == 0:
            form.too_long(path, high)
        else:
            form.length_between(path, low, high)
