"""Loading and validating audit-tool definitions; finding the current version."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from qa_audit.audit_tools.grades import GRADED
from qa_audit.audit_tools.models import AuditTool, AuditToolDomain
from qa_audit.changelog.services import record_change
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db

KEY = re.compile(r"^[a-z][a-z0-9_]*$")
TOOL_KEY = re.compile(r"^[a-z][a-z0-9-]*[0-9]{4}[a-z0-9-]*$")
GRADE_KEYS = [g.value for g in GRADED]
CHECKLIST = "quality_checklist"

# Set by the audits capability: does any audit use this tool version?
tool_in_use_checks: list[Callable[[AuditTool], bool]] = []


class AuditToolDefinitionError(DomainError):
    """A tool definition file is malformed; the message names the file and the fault."""


@dataclass(frozen=True)
class LoadResult:
    key: str
    status: str  # "created", "updated", "unchanged"


def _fail(source: str, where: str, fault: str) -> AuditToolDefinitionError:
    prefix = f"{source}: {where}: " if where else f"{source}: "
    return AuditToolDefinitionError(prefix + fault)


def _text(value: Any, source: str, where: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, where, f"'{field}' must be non-empty text")
    return value.strip()


def _guidance(value: Any, source: str, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _fail(source, where, "'guidance' must be a list of at least one prompt")
    return [_text(v, source, where, "guidance") for v in value]


def _descriptors(value: Any, source: str, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _fail(source, where, "'descriptors' must map each grade to its descriptor")
    missing = [g for g in GRADE_KEYS if g not in value]
    extra = [str(k) for k in value if k not in GRADE_KEYS]
    if missing:
        raise _fail(source, where, f"'descriptors' lacks {', '.join(missing)}")
    if extra:
        raise _fail(
            source,
            where,
            f"'descriptors' has unknown grade {', '.join(extra)} "
            f"(expected {', '.join(GRADE_KEYS)})",
        )
    return {g: _text(value[g], source, where, f"descriptors.{g}") for g in GRADE_KEYS}


def _key(data: dict, source: str, expected_key: str | None) -> str:
    key = _text(data.get("key"), source, "", "key")
    if not TOOL_KEY.match(key):
        raise _fail(source, "", f"key '{key}' must be lower-case words and a year, like qaif-2022")
    if expected_key is not None and key != expected_key:
        raise _fail(source, "", f"key '{key}' must match the file name '{expected_key}'")
    return key


def _launched_on(value: Any, source: str) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, date):
        raise _fail(source, "", "'launched_on' must be a date like 2024-04-01")
    return value


def _domain(item: Any, number: int, source: str, seen: set[str]) -> dict[str, Any]:
    where = f"domain {number}"
    if not isinstance(item, dict):
        raise _fail(source, where, "must be a mapping")
    dkey = _text(item.get("key"), source, where, "key")
    where = f"domain {number} ({dkey})"
    if not KEY.match(dkey):
        raise _fail(source, where, "key must be lower_snake_case")
    if dkey in seen:
        raise _fail(source, where, "key is used twice")
    seen.add(dkey)
    allows_na = item.get("allows_na", False)
    if not isinstance(allows_na, bool):
        raise _fail(source, where, "'allows_na' must be true or false")
    return {
        "key": dkey,
        "title": _text(item.get("title"), source, where, "title"),
        "allows_na": allows_na,
        "guidance": _guidance(item.get("guidance"), source, where),
        "descriptors": _descriptors(item.get("descriptors"), source, where),
    }


def validate_definition(data: Any, source: str, expected_key: str | None = None) -> dict:
    """A clean tool definition from parsed YAML, or AuditToolDefinitionError naming the fault."""
    if not isinstance(data, dict):
        raise _fail(source, "", "the file must hold a mapping with key, name, domains …")
    known = {"key", "name", "launched_on", "description", "overall", "domains", CHECKLIST}
    unknown = sorted(set(map(str, data)) - known)
    if unknown:
        raise _fail(source, "", f"unknown field {', '.join(unknown)}")
    key = _key(data, source, expected_key)
    launched = _launched_on(data.get("launched_on"), source)
    overall = data.get("overall")
    if not isinstance(overall, dict):
        raise _fail(source, "overall", "'overall' must give title, guidance and descriptors")
    domains = data.get("domains")
    if not isinstance(domains, list) or not domains:
        raise _fail(source, "", "'domains' must be a list of at least one domain")
    seen: set[str] = set()
    clean_domains = [
        _domain(item, number, source, seen) for number, item in enumerate(domains, start=1)
    ]
    return {
        "key": key,
        "name": _text(data.get("name"), source, "", "name"),
        "launched_on": launched.isoformat(),
        "description": str(data.get("description") or "").strip(),
        "overall": {
            "title": _text(overall.get("title"), source, "overall", "title"),
            "guidance": _guidance(overall.get("guidance"), source, "overall"),
            "descriptors": _descriptors(overall.get("descriptors"), source, "overall"),
        },
        "domains": clean_domains,
        CHECKLIST: _checklist(data.get(CHECKLIST), source),
    }


def _checklist(value: Any, source: str) -> list[dict[str, str]]:
    """The audit-quality checklist: a list of {key, text, hint (optional)}; none is allowed."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(source, CHECKLIST, "must be a list of items with key and text")
    items, seen = [], set()
    for number, item in enumerate(value, start=1):
        where = f"{CHECKLIST} item {number}"
        if not isinstance(item, dict):
            raise _fail(source, where, "must be a mapping with key and text")
        key = _text(item.get("key"), source, where, "key")
        if not KEY.match(key) or key in seen:
            raise _fail(source, where, "key must be lower_snake_case and used once")
        seen.add(key)
        entry = {"key": key, "text": _text(item.get("text"), source, where, "text")}
        if item.get("hint"):
            entry["hint"] = str(item["hint"]).strip()
        items.append(entry)
    return items


def _hash(definition: dict) -> str:
    """The grading definition's hash. The quality checklist is left out: it rates how the
    audit is written, not the child's case, so a used version's checklist may change."""
    graded = {k: v for k, v in definition.items() if k != CHECKLIST}
    return hashlib.sha256(json.dumps(graded, sort_keys=True).encode()).hexdigest()


def tool_in_use(tool: AuditTool) -> bool:
    """Whether any record uses this tool version (then it can never change)."""
    return any(check(tool) for check in tool_in_use_checks)


def _apply(tool: AuditTool, definition: dict, digest: str) -> None:
    tool.name = definition["name"]
    tool.launched_on = date.fromisoformat(definition["launched_on"])
    tool.description = definition["description"]
    tool.overall_title = definition["overall"]["title"]
    tool.overall_guidance = definition["overall"]["guidance"]
    tool.overall_descriptors = definition["overall"]["descriptors"]
    tool.content_hash = digest
    tool.quality_checklist = definition.get(CHECKLIST) or []
    tool.domains.clear()
    db.session.flush()
    for position, d in enumerate(definition["domains"]):
        tool.domains.append(
            AuditToolDomain(
                key=d["key"],
                title=d["title"],
                position=position,
                allows_na=d["allows_na"],
                guidance=d["guidance"],
                descriptors=d["descriptors"],
            )
        )


def load_definition(definition: dict, source: str) -> LoadResult:
    """Store one validated definition: new, replacing an unused version, or unchanged."""
    digest = _hash(definition)
    tool = db.session.scalar(select(AuditTool).where(AuditTool.key == definition["key"]))
    if tool is None:
        tool = AuditTool(key=definition["key"])
        _apply(tool, definition, digest)
        db.session.add(tool)
        db.session.flush()
        record_change(None, "audit_tool.loaded", tool, None, {"key": tool.key, "hash": digest})
        return LoadResult(tool.key, "created")
    if tool.content_hash == digest:
        return _load_checklist(tool, definition)
    if tool_in_use(tool):
        raise _fail(
            source,
            "",
            f"version '{tool.key}' has been used by audits and cannot be changed; "
            "save the change as a new version with a new key",
        )
    before = {"hash": tool.content_hash}
    _apply(tool, definition, digest)
    db.session.flush()
    record_change(None, "audit_tool.reloaded", tool, before, {"hash": digest})
    return LoadResult(tool.key, "updated")


def _load_checklist(tool: AuditTool, definition: dict) -> LoadResult:
    """The grading is unchanged; the quality checklist may have been added or reworded."""
    checklist = definition.get(CHECKLIST) or []
    if (tool.quality_checklist or []) == checklist:
        return LoadResult(tool.key, "unchanged")
    before = {CHECKLIST: tool.quality_checklist}
    tool.quality_checklist = checklist
    db.session.flush()
    record_change(None, "audit_tool.checklist_updated", tool, before, {CHECKLIST: checklist})
    return LoadResult(tool.key, "updated")


def read_definition_file(path: Path) -> dict:
    """Parse and validate one YAML tool file."""
    source = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _fail(source, "", f"not valid YAML ({exc})") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(source, "", f"cannot be read ({exc})") from exc
    return validate_definition(data, source, expected_key=path.stem)


def load_tools_from(folder: Path) -> list[LoadResult]:
    """Validate every *.yaml in ``folder`` first, then load them all (all or nothing)."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise AuditToolDefinitionError(f"{folder}: no audit tool definitions (*.yaml) found")
    definitions = [(read_definition_file(p), p.name) for p in files]
    return [load_definition(d, source) for d, source in definitions]


def list_tools() -> list[AuditTool]:
    return list(db.session.scalars(select(AuditTool).order_by(AuditTool.launched_on.desc())))


def get_tool(key: str) -> AuditTool:
    tool = db.session.scalar(select(AuditTool).where(AuditTool.key == key))
    if tool is None:
        raise NotFound(f"No audit tool version '{key}'")
    return tool


def current_tool(on: date | None = None) -> AuditTool:
    """The tool version in force on a date (the latest launched on or before it)."""
    on = on or local_today()
    tool = db.session.scalar(
        select(AuditTool)
        .where(AuditTool.launched_on <= on)
        .order_by(AuditTool.launched_on.desc())
        .limit(1)
    )
    if tool is None:
        raise NotFound("No audit tool is in force; load the tools with 'qa-audit tools load'")
    return tool
