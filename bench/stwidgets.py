"""The widgets a script run reports (from Streamlit's protobuf messages), their first values and the values a client may send."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDGET_TYPES = {
    "slider",
    "date_input",
    "multiselect",
    "button_group",
    "selectbox",
    "checkbox",
    "number_input",
    "component_instance",
    "button",
    "text_input",
    "radio",
    "toggle",
    "segmented_control",
    "time_input",
    "text_area",
}


@dataclass
class Widget:
    id: str
    type: str
    proto: object  # the element's sub-proto (Slider, MultiSelect, ...)

    @property
    def key(self) -> str:
        """The user key when the id carries one ('$$ID-<hash>-<key>'), else the id."""
        parts = self.id.split("-", 2)
        return parts[2] if self.id.startswith("$$ID-") and len(parts) == 3 else self.id

    @property
    def label(self) -> str:
        return getattr(self.proto, "label", "") or getattr(self.proto, "component_name", "")


def initial_value(w: Widget):
    """The value the browser registers for a widget when it renders (None: it registers none)."""
    p = w.proto
    t = w.type
    if t == "slider":
        if p.options:  # st.select_slider (Streamlit >= 1.5x): the formatted options, as strings
            if p.set_value and p.raw_value:
                return ("string_array_value", list(p.raw_value))
            return ("string_array_value", [p.options[int(i)] for i in (p.value if p.set_value else p.default)])
        return ("double_array_value", list(p.value if p.set_value else p.default))
    if t == "date_input":
        return ("string_array_value", list(p.value if p.set_value else p.default))
    if t == "multiselect":
        if p.set_value:
            return ("string_array_value", list(p.raw_values))
        return ("string_array_value", [p.options[i] for i in p.default])
    if t == "button_group":  # st.pills / st.segmented_control: raw option strings, like a multiselect
        return ("string_array_value", list(p.raw_values)) if p.set_value else None
    if t == "selectbox":
        if p.set_value:
            return ("string_value", p.raw_value) if p.HasField("raw_value") else None
        return ("string_value", p.options[p.default]) if p.HasField("default") and p.options else None
    if t == "checkbox":
        return ("bool_value", bool(p.value if p.set_value else p.default))
    if t == "text_input":
        v = p.value if (p.set_value and p.HasField("value")) else (p.default if p.HasField("default") else None)
        return ("string_value", v) if v is not None else None
    if t == "number_input":
        v = p.value if (p.set_value and p.HasField("value")) else p.default
        return ("int_value", int(v)) if p.data_type == p.INT else ("double_value", float(v))
    return None  # buttons, components, …: nothing until the user acts


def date_range(w: Widget) -> tuple[dt.date, dt.date]:
    """The dates the app's date widget accepts: a date_input's own bounds; for the text field
    (issue 13) the atlas's range, 1991-01-01 to today."""
    if w.type == "date_input":
        return dt.date.fromisoformat(w.proto.min), dt.date.fromisoformat(w.proto.max)
    return dt.date(1991, 1, 1), dt.date.today()


def date_value(w: Widget, day: dt.date) -> tuple[str, object]:
    """The widget value that sets ``day`` in the app's date widget (date_input or text field)."""
    if w.type == "date_input":
        return ("string_array_value", [day.isoformat()])
    return ("string_value", day.isoformat())


def choice_options(w: Widget, fallback: list[str]) -> list[str]:
    """The raw option strings of a multiselect; a button group (pills) does not send them, so the
    caller passes them (e.g. the organization ids, in the order the app lists them)."""
    return list(w.proto.options) if w.type == "multiselect" else list(fallback)
