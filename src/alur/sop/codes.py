"""The finding-code registry: every code alur can report, with its severity and its messages.

A code is stable (tests, the web's filters and other programs key on it); its messages are
English msgids shown through gettext, in Indonesian by default. Keeping code, severity and
message variants in one place means the checker, the format loader and every importer report a
problem the same way, and `docs/findings.md` is generated from this table
(`tools/findings_doc.py`) rather than written by hand beside it.

Usage::

    from alur.sop import codes

    codes.STEPS_NONE().at(sop=sop.id)
    codes.STEP_GAP("one", previous=2, number=4, missing=3).at(sop=sop.id, step=4)

`Code(variant, **fields)` picks a message variant ("" is the default) and fills its named
placeholders; `.at(**location)` makes the `Finding` with the code's severity. A plural variant
is a (singular, plural) pair chosen by the field `count`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Unpack

from alur.i18n import N_, gettext, ngettext

from .findings import Finding, Location, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def Np_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural pair for extraction (xgettext --keyword=Np_:1,2); translated when used."""
    return singular, plural


MessageId = str | tuple[str, str]


@dataclass(frozen=True)
class Message:
    """A code with its message filled in, waiting for its location."""

    code: Code
    text: str

    def at(self, **location: Unpack[Location]) -> Finding:
        """The finding at a location: sop, step, line, file, page, sheet, cell, table, row."""
        return Finding(severity=self.code.severity, code=self.code.code, message=self.text,
                       **location)


@dataclass(frozen=True)
class Code:
    """One finding code: its severity, what it means (for the reference) and its messages."""

    code: str
    severity: Severity
    meaning: str
    messages: Mapping[str, MessageId]

    def __call__(self, variant: str = "", /, **fields: object) -> Message:
        msgid = self.messages[variant]
        if isinstance(msgid, tuple):
            count = fields.get("count")
            template = ngettext(msgid[0], msgid[1], count if isinstance(count, int) else 1)
        else:
            template = gettext(msgid)
        return Message(self, template.format(**fields) if fields else template)

    def message(self, variant: str = "", /, **fields: object) -> str:
        return self(variant, **fields).text


REGISTRY: dict[str, Code] = {}


def register(code: str, severity: Severity, meaning: str,
             messages: Mapping[str, MessageId] | MessageId | None = None) -> Code:
    """Add a code to the registry; a code is registered once."""
    if code in REGISTRY:
        raise ValueError(f"finding code registered twice: {code}")
    if messages is None:
        messages = {}
    elif not isinstance(messages, Mapping):
        messages = {"": messages}
    entry = Code(code, severity, meaning, dict(messages))
    REGISTRY[code] = entry
    return entry


def lookup(code: str) -> Code | None:
    return REGISTRY.get(code)


# The loader's and the checker's codes follow, in the order docs/findings.md lists them. The
# importers register theirs in alur.importers.codes (or in their own module); a module reports
# only registered codes (tests/test_docs.py finds any literal code outside a `register` call).

# -- reading an SOP file (fileformat.py) ------------------------------------------------------
FORMAT_SYNTAX = register(
    "format.syntax", E, "the YAML or JSON itself is broken (line given)",
    {
        # Translators: {detail} is the JSON parser's own explanation, in English.
        "json": N_("Invalid JSON: {detail}"),
        # Translators: {detail} is the YAML parser's own explanation, mostly in English.
        "yaml": N_("Invalid YAML: {detail}"),
    })
# The next two carry pydantic's error types in the user's words, by the error type; `-below`
# is the same for a key below the top level. Placeholders: {key} the key, {path} where it is
# (steps[2].time), {parent} where the key is (steps[2]), {expected} the allowed values as
# pydantic lists them, in English. The loader ends each with a full stop.
FORMAT_UNKNOWN_KEY = register(
    "format.unknown-key", E, "a key the format does not know — usually a typo; the line of the key",
    {
        "": N_("Unknown key '{key}' (a typo?)"),
        "below": N_("Unknown key '{key}' (a typo?) in {parent}"),
    })
FORMAT_INVALID = register(
    "format.invalid", E,
    "a value of the wrong type or form (date not `YYYY-MM[-DD]`, id not a slug, missing `id`)",
    {
        "missing": N_("Required key '{key}' is missing"),
        "missing-below": N_("Required key '{key}' is missing in {parent}"),
        "string_type": N_("'{path}' must be text"),
        "int_parsing": N_("'{path}' must be an integer"),
        "int_type": N_("'{path}' must be an integer"),
        "list_type": N_("'{path}' must be a list"),
        "dict_type": N_("'{path}' must be a mapping"),
        "model_type": N_("'{path}' must be a mapping"),
        "literal_error": N_("The value of '{path}' is not valid; allowed: {expected}"),
        # Any other error: the model's own explanation (a validator's words), kept as written.
        "other": "'{path}': {detail}",
    })
FORMAT_NOT_MAPPING = register(
    "format.not-mapping", E, "the file is not a mapping of SOP keys",
    N_("The file's content must be a mapping of SOP keys (format: alur-sop/1, id, name, steps, "
       "…)."))
FORMAT_ENCODING = register(
    "format.encoding", E, "the file is not UTF-8 text",
    N_("The file is not UTF-8 text."))
FORMAT_UNREADABLE = register(
    "format.unreadable", E, "the file cannot be opened",
    N_("The file cannot be read: {reason}"))

# -- checking an SOP (check.py) ---------------------------------------------------------------
_IDENTITY_FIELD = "an identity-sheet field is empty"
_IDENTITY_LIST = "a list of the identity sheet is empty"
IDENTITY_NAME = register(
    "identity.name", E, "Nama SOP is empty",
    N_("The SOP name is not filled in."))
IDENTITY_NUMBER = register(
    "identity.number", W, _IDENTITY_FIELD,
    N_("The SOP number is not filled in."))
IDENTITY_ORGANIZATION = register(
    "identity.organization", W, _IDENTITY_FIELD,
    N_("The agency/work unit name is not filled in."))
IDENTITY_DATE_CREATED = register(
    "identity.date-created", W, _IDENTITY_FIELD,
    N_("The creation date is not filled in."))
IDENTITY_DATE_EFFECTIVE = register(
    "identity.date-effective", W, _IDENTITY_FIELD,
    N_("The effective date is not filled in."))
IDENTITY_APPROVER_TITLE = register(
    "identity.approver-title", W, _IDENTITY_FIELD,
    N_("The approver's position (Approved by) is not filled in."))
IDENTITY_APPROVER_NAME = register(
    "identity.approver-name", W, _IDENTITY_FIELD,
    N_("The approving official's name is not filled in."))
IDENTITY_NIP = register(
    "identity.nip", W, "the approver's NIP is not 18 digits",
    N_("The approver's NIP '{nip}' is not 18 digits."))
IDENTITY_LEGAL_BASIS = register(
    "identity.legal-basis", W, _IDENTITY_LIST,
    N_("Legal basis is not filled in."))
IDENTITY_QUALIFICATIONS = register(
    "identity.qualifications", W, _IDENTITY_LIST,
    N_("Implementer qualifications are not filled in."))
IDENTITY_EQUIPMENT = register(
    "identity.equipment", W, _IDENTITY_LIST,
    N_("Equipment/supplies are not filled in."))
IDENTITY_WARNINGS = register(
    "identity.warnings", W, _IDENTITY_LIST,
    N_("Warnings are not filled in."))
IDENTITY_RECORDS = register(
    "identity.records", W, _IDENTITY_LIST,
    N_("Recording and data collection is not filled in."))
IDENTITY_RELATED = register(
    "identity.related", INFO, "Keterkaitan is empty (often legitimately)",
    N_("Related procedures are not filled in."))

ACTOR_NONE = register(
    "actor.none", E, "no actor columns",
    N_("The SOP has no actor columns."))
ACTOR_DUPLICATE = register(
    "actor.duplicate", E, "two actors share an id",
    N_("Actor id '{actor}' is used {count} times."))
ACTOR_TOO_MANY = register(
    "actor.too-many", W,
    "more actors than `--max-actors` (default 6): the flowchart gets hard to read",
    N_("The SOP has {count} actors, more than {maximum}; the flowchart will be hard to read."))
ACTOR_UNUSED = register(
    "actor.unused", W, "an actor column no step uses",
    N_("Actor '{name}' does not perform a single step."))

STEPS_NONE = register(
    "steps.none", E, "no steps",
    N_("The SOP has no procedure steps."))
STEP_DUPLICATE = register(
    "step.duplicate", E, "a step number used twice",
    N_("Step number {number} is used {count} times."))
STEP_GAP = register(
    "step.gap", W, "numbers jump (8 → 11: \"langkah 9–10 tidak ada\")",
    {
        "one": N_("Step numbers jump from {previous} to {number}: step {missing} is missing."),
        "many": N_("Step numbers jump from {previous} to {number}: steps {first}–{last} are "
                   "missing."),
    })
STEP_ORDER = register(
    "step.order", W, "a number smaller than the one before",
    N_("Step {number} is written after step {previous}."))
STEP_ACTIVITY = register(
    "step.activity", E, "a step without its activity text",
    N_("Step {number} has no activity description."))
STEP_ACTOR_MISSING = register(
    "step.actor-missing", E,
    "a process or decision step without an actor (start/end rows need none)",
    N_("Step {number} has no actor."))
STEP_ACTOR_UNKNOWN = register(
    "step.actor-unknown", E, "a step names an actor id that is not in `actors`",
    N_("Step {number} names actor '{actor}', which is not in the list of actors."))
STEP_REF_UNKNOWN = register(
    "step.ref-unknown", E, "`next`, `on_yes` or `on_no` names a step that does not exist",
    {  # by the field that holds the reference
        "next": N_("Step {number}: the next step points to step {target}, which does not "
                   "exist."),
        "on_yes": N_("Step {number}: the Yes branch points to step {target}, which does not "
                     "exist."),
        "on_no": N_("Step {number}: the No branch points to step {target}, which does not "
                    "exist."),
    })
DECISION_EXITS = register(
    "decision.exits", E, "a decision without both Ya and Tidak exits",
    N_("The decision at step {number} must have both a Yes and a No branch."))
DECISION_NEXT = register(
    "decision.next", E, "a decision with `next`",
    N_("The decision at step {number} must not use 'next'; use the Yes/No branches."))
STEP_EXITS_NOT_DECISION = register(
    "step.exits-not-decision", E, "`on_yes`/`on_no` on a step that is not a decision",
    N_("Step {number} has Yes/No branches but is not a decision."))
STEP_CALLS_SELF = register(
    "step.calls-self", E, "a step calls its own SOP",
    N_("Step {number} calls this SOP itself."))
STEP_JOINT_SINGLE_ACTOR = register(
    "step.joint-single-actor", W,
    "`joint: any|all` (how a joint step finishes when run) on a step with fewer than two "
    "actors",
    N_("Step {number} says how a joint step finishes ('joint: {joint}') but has fewer than two "
       "actors."))
STEP_CALLS_UNKNOWN = register(
    "step.calls-unknown", E,
    "`calls` names an SOP that is not in the library (files checked together and their "
    "folders)",
    N_("Step {number} calls SOP '{sop}', which is not in the library."))
STEP_TIME_MISSING = register(
    "step.time-missing", W, "no Waktu",
    N_("Step {number} has no standard time."))
STEP_TIME_UNPARSED = register(
    "step.time-unparsed", W,
    "Waktu is not a duration (e.g. \"sesuai jadwal\"); the text is kept",
    N_("The time of step {number}, '{time}', is not a duration that can be calculated; the text "
       "is kept as written."))
STEP_INPUTS_MISSING = register(
    "step.inputs-missing", W, "no Kelengkapan / Output",
    N_("Step {number} has no requirements (inputs)."))
STEP_OUTPUTS_MISSING = register(
    "step.outputs-missing", W, "no Kelengkapan / Output",
    N_("Step {number} has no output."))
STEP_INFERRED = register(
    "step.inferred", INFO, "fields of this step were inferred, not read from the source",
    # Translators: {fields} is a list of step fields, e.g. "actor, step kind".
    N_("Step {number}: {fields} inferred, not written in the source."))

FLOW_UNREACHABLE = register(
    "flow.unreachable", E, "no path from the first step reaches this step",
    N_("Step {number} is never reached from the first step."))
FLOW_NO_END = register(
    "flow.no-end", E, "no path from this step ends the procedure",
    N_("There is no path from step {number} to the end of the procedure."))
FLOW_LOOP_NO_EXIT = register(
    "flow.loop-no-exit", E, "a loop (e.g. Tidak → back) that can never be left",
    # Translators: {steps} is a list of step numbers, e.g. "3, 4, 5".
    N_("The loop of steps {steps} has no way out."))
FLOW_START_NOT_FIRST = register(
    "flow.start-not-first", W, "`kind: start` rows out of place",
    N_("The start step ({number}) is not the first step."))
FLOW_MANY_STARTS = register(
    "flow.many-starts", W, "`kind: start` rows out of place",
    N_("The SOP has more than one start step."))

# -- storing in the library (the web application's import and API) ----------------------------
LIBRARY_TOO_MANY_STEPS = register(
    "library.too-many-steps", E,
    "an SOP with more steps than the library holds (the installation's ALUR_MAX_STEPS); it is "
    "not stored",
    N_("This SOP has {count} steps; the library holds SOPs of at most {limit} steps. Split it "
       "into several SOPs linked by Keterkaitan."))
LIBRARY_TOO_LONG = register(
    "library.too-long", E,
    "a text longer than the library's database holds (id, name, number, an actor's name); the "
    "SOP is not stored",
    N_("{label} may be at most {limit} characters; '{value}…' is too long to be stored."))
