"""The findings of reading text copied out of a PDF (`import.pdfcopy-*`), registered once so
every part of the copy reader reports with the same code and words.
"""

from __future__ import annotations

from alur.i18n import N_
from alur.sop.codes import INFO, Np_, W, register

PDFCOPY_READ = register(
    "import.pdfcopy-read", INFO,
    "a text copied from a PDF: the step table was rebuilt without column separators",
    {"": Np_("The text was copied from a PDF without column separators: {count} step was "
             "rebuilt from its number and its time standard; the split between activity and "
             "Kelengkapan, and between Output and Keterangan, is read from the words.",
             "The text was copied from a PDF without column separators: {count} steps were "
             "rebuilt from their numbers and time standards; the split between activity and "
             "Kelengkapan, and between Output and Keterangan, is read from the words."),
     "layout": Np_("The text was copied from a PDF with its layout kept: {count} step was "
                   "rebuilt from the positions of the columns under the header.",
                   "The text was copied from a PDF with its layout kept: {count} steps were "
                   "rebuilt from the positions of the columns under the header.")})


PDFCOPY_BOILERPLATE = register(
    "import.pdfcopy-boilerplate", INFO,
    "website or viewer text around the copied document (page counters, download buttons, "
    "cookie notices, lists of other documents, repeated table headers) was left out",
    Np_("{count} line that is not part of the SOP was left out: {texts}.",
        "{count} lines that are not part of the SOP were left out: {texts}."))


PDFCOPY_NO_TIME = register(
    "import.pdfcopy-no-time", W,
    "a row of a copied table without a time standard: its cells cannot be told apart",
    N_("Step {number}: no time standard was found in the row, so its cells cannot be told "
       "apart; all its text is kept as the activity: '{text}'."))


PDFCOPY_COLUMN_DUMP = register(
    "import.pdfcopy-column-dump", INFO,
    "the Mutu Baku values stand after the last step, one column after the other; matched to "
    "the steps by order",
    {"": Np_("The Kelengkapan, Waktu and Output values stand after the last step, one column "
             "after the other; they were matched to the {count} step in order.",
             "The Kelengkapan, Waktu and Output values stand after the last step, one column "
             "after the other; they were matched to the {count} steps in order."),
     "rows": Np_("The Kelengkapan, Waktu and Output values stand after the last step, row by "
                 "row; they were matched to the {count} step in order.",
                 "The Kelengkapan, Waktu and Output values stand after the last step, row by "
                 "row; they were matched to the {count} steps in order.")})


PDFCOPY_DUMP_MISMATCH = register(
    "import.pdfcopy-dump-mismatch", W,
    "values after the last step that could not be matched to the steps by count",
    N_("After the last step stand {found} values of the column {column} for {count} steps; "
       "they cannot be matched by order and were not placed: {texts}."))


PDFCOPY_ROWS_GUESSED = register(
    "import.pdfcopy-rows-guessed", W,
    "step numbers stand in the middle of their rows; where rows begin was guessed",
    N_("Step {number}: its number stands in the middle of the row; the lines between it and "
       "the previous step were divided between the two by a guess. Check the activity and "
       "the Mutu Baku of both steps."))


PDFCOPY_UNPLACED = register(
    "import.pdfcopy-unplaced", W,
    "text inside a copied step table that belongs to no step",
    N_("Text in the step table before the first step could not be placed: '{text}'."))


PDFCOPY_STRAY = register(
    "import.pdfcopy-stray", W,
    "Mutu Baku text in the row of a Mulai/Selesai step of a plain copy, not placed",
    N_("Step {number} is a Mulai/Selesai step, which has no Mutu Baku, yet '{text}' stands in "
       "its row of the copy; the PDF drew it away from its own row, so it was not placed."))
PDFCOPY_UNORDERED = register(
    "import.pdfcopy-unordered", W,
    "a plain copy whose table cells follow in drawing order, not row by row: not rebuilt",
    N_("The step table's labels stand one per line (a copy by plain pdftotext or a similar "
       "tool) and its cells follow in the order the PDF drew them, not row by row, so the "
       "steps cannot be rebuilt without guessing ({numbers} step numbers and {times} time "
       "standards were seen). Copy the PDF again with 'pdftotext -layout', or import the PDF "
       "itself."))
PDFCOPY_MARKS = register(
    "import.pdfcopy-marks", INFO,
    "flowchart marks survived in the copy but without their column",
    N_("Step {number}: the marks '{marks}' survived in the copy, but not the column they stood "
       "in; they were left out and the actor is read from the text."))
