"""Reading and writing `alur-sop/1` files (YAML or JSON).

Loading never raises on user data: syntax errors, unknown keys and wrong types come back as
findings that name the line, so an author can fix a hand-written file in one pass. Dumping is
canonical (spec key order, empty optional keys left out) so load → dump → load is stable and
files diff cleanly in git.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from alur.i18n import _

from .codes import (
    FORMAT_ENCODING,
    FORMAT_INVALID,
    FORMAT_NOT_MAPPING,
    FORMAT_SYNTAX,
    FORMAT_UNKNOWN_KEY,
    FORMAT_UNREADABLE,
    Message,
)
from .findings import Finding
from .model import Sop

Format = Literal["yaml", "json"]

# The C loader is much faster; both behave the same. The stubs declare the C classes, but
# PyYAML only defines them when libyaml is installed, so at run time they may be missing.
if TYPE_CHECKING:
    _BaseLoader = yaml.CSafeLoader
    _BaseDumper = yaml.CSafeDumper
else:
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Loader(_BaseLoader):
    """YAML that keeps the author's text: only `true`/`false`/`null` are typed.

    YAML 1.1 would read `Ya`/`No`/`on` as booleans, `012` as 10, `1:30` as 90 and
    `2023-02-30` as an exception; in an SOP those are words, numbers as written and dates the
    model checks. The model parses what it needs (step numbers) from the text.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, yaml.Node] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, _("key '{key}' is written twice").format(key=key),
                    key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


_KEEP_TYPED = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag in _KEEP_TYPED]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


@dataclass
class LoadResult:
    """A loaded SOP, or None when the file cannot be understood, and what went wrong."""

    sop: Sop | None
    findings: list[Finding] = field(default_factory=list)
    step_lines: dict[int, int] = field(default_factory=dict)  # step number → line in the file

    def locate(self, findings: list[Finding], file: str | None) -> list[Finding]:
        """Point findings about this SOP at this file: a step's line in it, not its source's."""
        return [f.model_copy(update={"file": file, "line": self.step_lines.get(f.step)
                                     if f.step is not None else None}) for f in findings]


def _finding(message: Message, *, file: str | None, line: int | None = None,
             step: int | None = None, sop: str | None = None) -> Finding:
    return message.at(file=file, line=line, step=step, sop=sop)


def loads(text: str, *, file: str | None = None, fmt: Format | None = None) -> LoadResult:
    """Parse SOP text. `fmt` None guesses JSON when the text starts with `{`."""
    if fmt is None:
        fmt = "json" if text.lstrip().startswith("{") else "yaml"
    node = None
    try:
        if fmt == "json":
            data = json.loads(text)
        else:
            node = yaml.compose(text, Loader=_Loader)
            data = yaml.load(text, Loader=_Loader)
    except json.JSONDecodeError as exc:
        return LoadResult(None, [_finding(FORMAT_SYNTAX("json", detail=exc.msg), file=file,
                                          line=exc.lineno)])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        return LoadResult(None, [_finding(FORMAT_SYNTAX("yaml", detail=problem), file=file,
                                          line=line)])
    if fmt == "json":
        try:
            node = yaml.compose(text, Loader=_Loader)  # JSON is YAML: reuse it for line numbers
        except yaml.YAMLError:
            node = None
    return from_data(data, file=file, node=node)


def load(path: str | Path) -> LoadResult:
    """Read a file; unreadable files become a finding too."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return LoadResult(None, [_finding(FORMAT_ENCODING(), file=str(path))])
    except OSError as exc:
        return LoadResult(None, [_finding(FORMAT_UNREADABLE(reason=exc.strerror),
                                          file=str(path))])
    fmt: Format = "json" if path.suffix.lower() == ".json" else "yaml"
    return loads(text, file=str(path), fmt=fmt)


def from_data(data: Any, *, file: str | None = None, node: yaml.Node | None = None) -> LoadResult:
    """Validate already-parsed data; `node` (a composed YAML tree) supplies line numbers."""
    if not isinstance(data, dict):
        return LoadResult(None, [_finding(FORMAT_NOT_MAPPING(), file=file, line=1)])
    sop_id = data.get("id") if isinstance(data.get("id"), str) else None
    try:
        return LoadResult(Sop.model_validate(data), [], _step_lines(node))
    except ValidationError as exc:
        findings = [
            _error_finding(err, data, node, file=file, sop=sop_id)
            for err in exc.errors(include_url=False)
        ]
        return LoadResult(None, findings)


# Pydantic's error types have their own words as variants of format.invalid (codes.py); an
# unknown key is format.unknown-key. A key below the top level says where it is (`-below`).
_BELOW = {"missing": "missing-below"}


def _error_finding(err: ErrorDetails, data: dict[str, Any], node: yaml.Node | None, *,
                   file: str | None, sop: str | None) -> Finding:
    loc = tuple(err["loc"])
    if err["type"] != "extra_forbidden":
        # Union members add their type name to the location (activity.str / .list[str]).
        loc = tuple(p for p in loc if not (isinstance(p, str) and
                                           ("[" in p or p in ("str", "int"))))
    path = _path_text(loc)
    key = str(loc[-1]) if loc else ""
    below = len(loc) > 1
    if err["type"] == "extra_forbidden":
        message = FORMAT_UNKNOWN_KEY("below" if below else "", key=key,
                                     parent=_path_text(loc[:-1]))
    elif err["type"] in FORMAT_INVALID.messages:
        variant = _BELOW.get(err["type"], err["type"]) if below else err["type"]
        expected = (err.get("ctx") or {}).get("expected", "")
        message = FORMAT_INVALID(variant, key=key, path=path, expected=expected,
                                 parent=_path_text(loc[:-1]))
    else:
        detail = str(err.get("msg", "")).removeprefix("Value error, ")
        message = FORMAT_INVALID("other", path=path, detail=detail)
    step = None
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        steps = data.get("steps")
        if isinstance(steps, list) and loc[1] < len(steps) and isinstance(steps[loc[1]], dict):
            number = str(steps[loc[1]].get("number", ""))
            step = int(number) if number.isdigit() else None
    # The messages are written without their full stop, which the loader adds to every one.
    message = dataclasses.replace(message, text=message.text + ".")
    return _finding(message, file=file, line=_line_of(node, loc), step=step, sop=sop)


def _step_lines(node: yaml.Node | None) -> dict[int, int]:
    lines: dict[int, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    steps = next((v for k, v in node.value if k.value == "steps"), None)
    if not isinstance(steps, yaml.SequenceNode):
        return lines
    for item in steps.value:
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if key.value == "number" and isinstance(value, yaml.ScalarNode):
                    with contextlib.suppress(ValueError):
                        lines.setdefault(int(value.value), item.start_mark.line + 1)
    return lines


def _path_text(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Walk the composed YAML tree along a pydantic location; the deepest node found wins."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


# --- writing -----------------------------------------------------------------------------


class _FlowList(list[Any]):
    """A short list written on one line, as in the spec (`inputs: [Disposisi Surat]`)."""


class _FlowDict(dict[str, Any]):
    """An actor written on one line: `{id: kaban, name: Kepala Badan}`."""


class _Dumper(_BaseDumper):
    pass


def _represent_str(dumper: yaml.representer.SafeRepresenter, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(
    _FlowDict, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))

_FLOW_LIST_KEYS = {"actors", "inputs", "outputs", "inferred"}


def _is_empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == [] or value == {}


def to_data(sop: Sop, *, full: bool = False) -> dict[str, Any]:
    """The SOP as plain data in spec key order. `full` keeps empty optional keys (for JSON)."""
    raw = sop.model_dump(mode="json")
    return raw if full else _prune(raw)


# Keys written even when empty: what a reader of the file expects to see at each level.
_ALWAYS = {
    "sop": {"format", "id", "name", "actors", "steps"},
    "step": {"number", "activity", "actors", "kind"},
    "actor": {"id", "name"},
    "section": {"title"},
}
_CHILD_LEVEL = {"steps": "step", "actors": "actor", "sections": "section"}


def _prune(value: Any, level: str = "sop") -> Any:
    if isinstance(value, dict):
        keep = _ALWAYS.get(level, set())
        pruned = {k: _prune(v, (_CHILD_LEVEL.get(k) or k) if level == "sop" else k)
                  for k, v in value.items()}
        return {k: v for k, v in pruned.items() if k in keep or not _is_empty(v)}
    if isinstance(value, list):
        return [_prune(v, level) for v in value]
    return value


def _flow_styled(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        if key == "actors" or set(value) == {"id", "name"}:
            return _FlowDict(value)
        if key in ("dates", "source", "approved_by") and all(
                len(str(v)) < 40 for v in value.values()):
            return _FlowDict(value)
        return {k: _flow_styled(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in _FLOW_LIST_KEYS and all(isinstance(v, str) for v in value) and \
                sum(len(v) + 2 for v in value) <= 70:
            return _FlowList(value)
        return [_flow_styled(v, key) for v in value]
    return value


def dumps_yaml(sop: Sop) -> str:
    """Canonical YAML: spec key order, empty optional keys omitted, Unicode kept."""
    data = _flow_styled(to_data(sop))
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def dumps_json(sop: Sop, *, minutes: bool = False, indent: int | None = 2) -> str:
    """JSON with every key; `minutes` adds each step's parsed working minutes (sop-format.md)."""
    return json.dumps(to_json_data(sop, minutes=minutes), ensure_ascii=False, indent=indent)


def to_json_data(sop: Sop, *, minutes: bool = False) -> dict[str, Any]:
    data = to_data(sop, full=True)
    if minutes:
        from .duration import parse_duration

        for step_data, step in zip(data["steps"], sop.steps, strict=True):
            parsed = parse_duration(step.time)
            step_data["minutes"] = parsed.as_dict() if parsed else None
    return data


def dump(sop: Sop, path: str | Path) -> None:
    path = Path(path)
    text = dumps_json(sop) + "\n" if path.suffix.lower() == ".json" else dumps_yaml(sop)
    path.write_text(text, encoding="utf-8")
