"""The importers' finding codes (`import.*`): what reading a document can report.

Registered in the one registry (`alur.sop.codes`) so every importer reports a problem with the
same code, severity and words, and `docs/findings.md` lists them (`tools/findings_doc.py`).
The messages are the msgids the importers have always used, so their translations hold. An
importer added later may register its own codes in its own module the same way.
"""

from __future__ import annotations

from alur.i18n import N_
from alur.sop.codes import INFO, E, Np_, W, register

# -- the file itself --------------------------------------------------------------------------
IMPORT_UNREADABLE = register(
    "import.unreadable", E, "the file cannot be read as text or HTML",
    N_("The file cannot be read: {reason}."))
IMPORT_BINARY = register(
    "import.binary", E, "the file cannot be read as text or HTML",
    N_("A binary file cannot be read as text or HTML."))
IMPORT_ENCODING = register(
    "import.encoding", W, "not UTF-8; read as Windows-1252",
    N_("The file is not UTF-8; it was read as Windows-1252. Check special characters."))
IMPORT_NO_SOP = register(
    "import.no-sop", E, "no SOP in the document",
    N_("No SOP was found in this document."))

# -- an SOP's parts ---------------------------------------------------------------------------
IMPORT_NO_TABLE = register(
    "import.no-table", E, "an SOP without a procedure table",
    # Translators: the column headings are the official form's, keep them.
    N_("The procedure table (No | Kegiatan | Pelaksana | Mutu Baku) was not found."))
IMPORT_NO_NAME = register(
    "import.no-name", E, "no Nama SOP and no `SOP <NAME>` heading",
    N_("The SOP name was not found in the document."))
# The id of an SOP whose document gives it no name: neutral, never the file's name (a scan's
# "IMG_2041.pdf" says nothing about the SOP); `unique_slug` numbers the next ones.
UNNAMED_SOP_ID = "sop-tanpa-nama"
IMPORT_NO_ACTORS = register(
    "import.no-actors", E, "the table header names no actors",
    N_("The table header holds no actor names."))
IMPORT_NO_TIME_COLUMN = register(
    "import.no-time-column", W, "the table header has no Waktu column",
    N_("The table header has no Waktu (time) column."))

# -- text that fits nowhere, by where it is ---------------------------------------------------
IMPORT_UNRECOGNISED = register(
    "import.unrecognised", W, "text that fits nowhere; quoted in the message, not put into the SOP",
    {
        "identity": N_("Text in the identity section is not recognised and not included in the "
                       "SOP: '{text}'."),
        "after-table": N_("Text after the procedure table is not recognised and not included "
                          "in the SOP: '{text}'."),
        "signature": N_("Text in the signature block is not recognised and not included in the "
                        "SOP: '{text}'."),
        "beside-label": N_("Text '{text}' beside an identity label is not recognised and not "
                           "included in the SOP."),
        "under-no-label": N_("Content '{text}' is not under any identity label; not included "
                             "in the SOP."),
        "outside-sop": N_("Text outside any SOP is not included: '{text}'."),
        "outside-sop-rest": Np_(
            "{count} more line (lines {first}–{last}) is also outside any SOP and not included.",
            "{count} more lines (lines {first}–{last}) are also outside any SOP and not "
            "included."),
    })
IMPORT_GARBLED = register(
    "import.garbled", W, "text with letters from another script (an encoding accident)",
    {
        "identity": N_("Garbled text (letters outside the Latin alphabet) in the identity "
                       "section: '{text}'."),
        "after-table": N_("Garbled text (letters outside the Latin alphabet) after the "
                          "procedure table: '{text}'."),
        "signature": N_("Garbled text (letters outside the Latin alphabet) in the signature "
                        "block: '{text}'."),
    })
IMPORT_CAPTION = register(
    "import.caption", INFO, "the table's caption line, quoted",
    N_("Flowchart title noted, not stored as a field: '{text}'."))

# -- the identity sheet -----------------------------------------------------------------------
IMPORT_DATE = register(
    "import.date", W, "a date that cannot be read; the field is left empty",
    {  # by the identity's date field
        "created": N_("The creation date '{text}' is not a readable date; left empty."),
        "revised": N_("The revision date '{text}' is not a readable date; left empty."),
        "effective": N_("The effective date '{text}' is not a readable date; left empty."),
    })
IMPORT_NAME_DIFFERS = register(
    "import.name-differs", INFO,
    "the identity's Nama SOP differs from the heading; the identity wins",
    N_("The SOP name in the identity sheet, '{name}', differs from the heading '{heading}'; the "
       "name in the identity sheet is used."))
IMPORT_TRUNCATED_LIST = register(
    "import.truncated-list", W,
    "an identity list cut off in the source, split by the item starts that survive",
    {
        # Translators: {list} is a list's title, e.g. "Legal basis".
        "split": Np_("The list '{list}' is truncated in the source ('{hint}'); it is split into "
                     "{count} item at the starts of the items that remain. Check the split.",
                     "The list '{list}' is truncated in the source ('{hint}'); it is split into "
                     "{count} items at the starts of the items that remain. Check the split."),
        "unsplit": N_("The list '{list}' is truncated in the source ('{hint}') and cannot be "
                      "split; kept as one item."),
    })

# -- the procedure table ----------------------------------------------------------------------
IMPORT_COLUMNS_SHIFTED = register(
    "import.columns-shifted", W,
    "a row with more or fewer actor cells than the header; aligned by content",
    {
        "by-content": Np_("The row has {count} actor cell, the table header {header}; the cells "
                          "are aligned by the content of the Waktu column.",
                          "The row has {count} actor cells, the table header {header}; the "
                          "cells are aligned by the content of the Waktu column."),
        "by-position": Np_("The row has {count} actor cell, the table header {header}; the "
                           "cells are aligned by position.",
                           "The row has {count} actor cells, the table header {header}; the "
                           "cells are aligned by position."),
    })
IMPORT_UNLABELLED_OUTPUT = register(
    "import.unlabelled-output", W,
    "the header lost its Output label; the cell after Waktu is read as Output",
    N_("The table header has no Output column, but its rows have one; the cell after Waktu is "
       "read as Output."))
IMPORT_EXTRA_CELL = register(
    "import.extra-cell", W, "a non-empty cell beyond the known columns, quoted",
    N_("An extra cell in column {column} is not recognised: '{text}'."))
IMPORT_HEADER_CHANGED = register(
    "import.header-changed", W, "a continued table names other actors",
    N_("The header of the continued table names different actors: {actors}."))
IMPORT_MARK_OUTSIDE = register(
    "import.mark-outside", W, "a mark outside any actor column",
    N_("The mark '{mark}' is outside the actor columns; ignored."))
IMPORT_TEXT_IN_ACTOR_COLUMN = register(
    "import.text-in-actor-column", W,
    "text that is not a symbol in an actor column; the column counts as marked",
    N_("The text '{text}' in the actor column {column} is not a symbol; the column is taken as "
       "marked."))
IMPORT_WEAK_MARK = register(
    "import.weak-mark", W, "a `-` or arrow remnant read as the actor's mark",
    N_("The mark '{mark}' in column {column} is read as the actor; its symbol cannot be read."))

# -- decisions (decisions.py) -----------------------------------------------------------------
IMPORT_MARK_IGNORED = register(
    "import.mark-ignored", W, "another mark on a decision's row; the ◇ column is the actor",
    N_("Step {number}: marks in column {columns} on the decision row are ignored; the "
       "decision's actor is {column} (the column of the ◇ symbol)."))
IMPORT_DECISION = register(
    "import.decision", INFO, "a decision read from ◇ and Ya/Tidak labels",
    N_("Step {number}: a decision by {actor}, read from the ◇ symbol and the Yes/No marks "
       "(Yes → {on_yes}, No → {on_no})."))
IMPORT_DECISION_FROM_LABELS = register(
    "import.decision-from-labels", INFO,
    "a decision located by its Tidak/Ya labels though the ◇ was lost",
    N_("Step {number}: its symbol is lost, but the 'No' mark (row of step {no_step}) and the "
       "'Yes' mark (row of step {yes_step}) in column {column} show a decision by {column}."))
IMPORT_DECISION_YES_DEFAULT = register(
    "import.decision-yes-default", INFO,
    "a decision's Ya exit had no label; it goes to the next step",
    N_("Step {number}: the 'Yes' branch is not marked; it goes to the next step, {target}."))
IMPORT_DECISION_INCOMPLETE = register(
    "import.decision-incomplete", W, "a ◇ without a readable Tidak exit: kept as a process",
    {
        "no-branch": N_("Step {number}: a decision symbol (◇) in column {column} without a "
                        "readable 'No' branch; the step is read as a process."),
        "no-next-step": N_("Step {number}: a decision in column {column} without a step after "
                           "it for the 'Yes' branch; read as a process."),
    })
IMPORT_LABEL_UNUSED = register(
    "import.label-unused", W, "a Ya/Tidak label no decision explains",
    {
        "yes": N_("The 'Yes' mark in column {column} on the row of step {number} cannot be "
                  "linked to any decision."),
        "no": N_("The 'No' mark in column {column} on the row of step {number} cannot be linked "
                 "to any decision."),
    })

# -- rows and actors --------------------------------------------------------------------------
IMPORT_MARKER_ROW = register(
    "import.marker-row", INFO, "an unnumbered Mulai/Selesai row became a start/end step",
    {
        "end": N_("A row without a number marked 'End' is read as an end step numbered "
                  "{number}."),
        "start": N_("A row without a number marked 'Start' is read as a start step numbered "
                    "{number}."),
    })
IMPORT_UNNUMBERED_ROW = register(
    "import.unnumbered-row", W, "a row without a step number, quoted",
    {
        "after-step": N_("A row without a step number: '{text}'. Not merged into step "
                         "{previous} automatically; check the source."),
        "unrecognised": N_("A row without a step number is not recognised: '{text}'."),
    })
IMPORT_ACTOR_INFERRED = register(
    "import.actor-inferred", INFO,
    "an actor found in the text (subject or \"oleh …\"), with the words that show it",
    {
        "": N_("Step {number}: the actor is not marked in the source; '{actor}' is inferred "
               "from the text '{phrase}'."),
        "fuzzy": N_("Step {number}: the actor is not marked in the source; '{actor}' is "
                    "inferred from the text '{phrase}' (spelled differently in the source, read "
                    "as '{actor}')."),
    })
IMPORT_ACTOR_UNKNOWN = register(
    "import.actor-unknown", W,
    "no mark and no evidence in the text: the actor is left empty",
    {
        "": N_("Step {number}: there is no actor mark in the source and the text does not name "
               "its actor; the actor is left empty."),
        "conflict": N_("Step {number}: there is no actor mark in the source and {reason}; the "
                       "actor is left empty."),
    })

# -- the signature block ----------------------------------------------------------------------
IMPORT_SIGNATURE = register(
    "import.signature", INFO, "what the signature block said and what it filled",
    {
        "": N_("Signature block read: {summary}."),
        "fills": N_("Signature block read: {summary}. Fills in the approver's {fields}."),
    })
IMPORT_SIGNATURE_TITLE = register(
    "import.signature-title", INFO, "what the signature block said and what it filled",
    N_("The signer's position '{signer}' differs from 'Disahkan oleh' (approved by) in the "
       "identity sheet ('{approver}')."))
IMPORT_SIGNATURE_DATE = register(
    "import.signature-date", INFO, "what the signature block said and what it filled",
    N_("The date in the signature block ('{date}') is incomplete; the effective date is not "
       "filled in."))
