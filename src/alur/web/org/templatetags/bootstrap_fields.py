"""Django form fields drawn with Bootstrap's classes: `{{ field|bs }}` renders the widget as a
form-control, form-select or form-check-input, marked is-invalid and tied to its error
message (`{auto_id}_error`) when the field has errors. The forms stay plain Django forms; the
look is the template's business."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


def widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect,
                           forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, forms.Select):  # SelectMultiple too
        return "form-select"
    return "form-control"


@register.filter
def bs(field: forms.BoundField, size: str = "") -> SafeString:
    """`{{ field|bs }}`, or `{{ field|bs:"sm" }}` for the small size in a dense table."""
    widget = field.field.widget
    kind = widget_class(widget)
    classes = [widget.attrs.get("class", ""), kind]
    if size in ("sm", "lg") and kind != "form-check-input":
        classes.append(f"{kind}-{size}")
    attrs: dict[str, str | bool] = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        classes.append("is-invalid")
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    attrs["class"] = " ".join(c for c in classes if c)
    return field.as_widget(attrs=attrs)
