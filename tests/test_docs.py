"""The findings reference is generated from the code registry, and every code goes through it.

docs/findings.md is written by tools/findings_doc.py from `alur.sop.codes.REGISTRY`; these tests
keep the committed file equal to what the registry says, refuse a finding code written as a
loose string anywhere in the source (it would bypass the registry and the reference), and check
that each registered message can be filled in every language.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import string
from pathlib import Path
from types import ModuleType

import pytest

from alur.i18n import gettext, ngettext, override

ROOT = Path(__file__).parents[1]
# The prefixes of the codes read from documents. (`library.*` is not among them: Django writes
# its model labels the same way, "library.sop".)
PREFIXES = r"(?:import|identity|actor|steps?|decision|flow|format)"
LITERAL_CODE = re.compile(PREFIXES + r"\.[a-z][a-z-]*")
CODE_START = re.compile(PREFIXES + r"\.")


def _tool() -> ModuleType:
    path = ROOT / "tools" / "findings_doc.py"
    spec = importlib.util.spec_from_file_location("findings_doc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _tool()


def test_the_committed_reference_is_the_generated_one(tool: ModuleType):
    committed = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert committed == tool.render(), "docs/findings.md is stale: run tools/findings_doc.py"


def _is_register(call: ast.Call) -> bool:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name == "register"


def literal_codes(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string that is a finding code, or an f-string that starts like
    one, outside the first argument of a `register(...)` call."""
    tree = ast.parse(source)
    registered = {id(node.args[0]) for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and _is_register(node) and node.args}
    in_fstring = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                  for part in node.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in registered or id(node) in in_fstring:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                LITERAL_CODE.fullmatch(node.value):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr) and node.values and \
                isinstance(node.values[0], ast.Constant) and \
                isinstance(node.values[0].value, str) and CODE_START.match(node.values[0].value):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def test_the_scan_finds_codes_outside_the_registry():
    source = '''
from alur.sop.codes import W, register
KNOWN = register("import.known", W, "a registered code")
a = Finding(severity=W, code="import.no-table", message="x")
note(W, "step.gap", "y")
b = f"identity.{key}"
c = "not.a-code" + "format"
'''
    assert literal_codes(source) == [(4, "import.no-table"), (5, "step.gap"),
                                     (6, "f'identity.{key}'")]


def test_no_finding_code_is_written_outside_the_registry():
    found = [f"{path.relative_to(ROOT)}:{line}: {text}"
             for path in sorted((ROOT / "src").rglob("*.py"))
             for line, text in literal_codes(path.read_text(encoding="utf-8"))]
    assert found == [], "register these codes (alur.sop.codes) and use the registered Code"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_message_has_named_placeholders_the_same_in_every_language(tool: ModuleType):
    problems = []
    for entry in tool.registered_codes():
        for variant, msgid in entry.messages.items():
            english = msgid if isinstance(msgid, tuple) else (msgid,)
            with override("id"):
                indonesian = tuple(ngettext(msgid[0], msgid[1], n) for n in (1, 2)) \
                    if isinstance(msgid, tuple) else (gettext(msgid),)
            wanted = _fields(english[0]) | _fields(english[-1])
            if "" in wanted or any(name.isdigit() for name in wanted):
                problems.append(f"{entry.code} [{variant}]: positional placeholder")
            if isinstance(msgid, tuple) and "count" not in wanted:
                problems.append(f"{entry.code} [{variant}]: a plural without {{count}}")
            for text in indonesian:
                if not _fields(text) <= wanted:
                    problems.append(f"{entry.code} [{variant}]: the translation uses "
                                    f"{sorted(_fields(text) - wanted)}")
    assert problems == []


def test_every_variant_renders_with_its_own_placeholders(tool: ModuleType):
    """A Code fills and locates every variant: the registry's own machinery works on all."""
    for entry in tool.registered_codes():
        for variant, msgid in entry.messages.items():
            templates = msgid if isinstance(msgid, tuple) else (msgid,)
            fields: dict[str, object] = {name: 2 for t in templates for name in _fields(t)}
            finding = entry(variant, **fields).at(sop="x", line=3)
            assert (finding.code, finding.severity, finding.line) == (entry.code,
                                                                    entry.severity, 3)
            assert finding.message.strip(), (entry.code, variant)
