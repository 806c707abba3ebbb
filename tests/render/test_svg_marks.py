"""`page_svg(marks=…)`: a class added to the symbols of given steps, for a page's stylesheet
to style (the version comparison marks changed steps so); nothing else of the drawing moves."""

import re
from pathlib import Path

from alur.render import layout
from alur.render.svg import page_svg
from alur.sop import load

LIBRARY = Path(__file__).parents[2] / "examples" / "library"


def test_marks_add_a_class_to_the_given_steps_only():
    document = load(LIBRARY / "surat-keluar.yaml").sop
    result = layout(document)
    page = result.pages[0]
    plain = page_svg(page, result, crop=True)
    marked = page_svg(page, result, crop=True, marks={2: "beda-edited", 4: 'x"y'})
    assert re.search(r'class="symbol decision beda-edited" data-step="2"', marked)
    # The class is escaped: a quote cannot end the attribute.
    assert 'class="symbol process x&quot;y" data-step="4"' in marked
    assert 'data-step="3"' in marked and 'class="symbol process" data-step="3"' in marked
    # Without the classes, the drawing is the same as without marks.
    assert re.sub(r' (beda-edited|x&quot;y)"', '"', marked) == plain
    assert page_svg(page, result, crop=True, marks={}) == plain
