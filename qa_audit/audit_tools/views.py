"""Pages showing the audit tools, their domains and grade descriptors."""

from __future__ import annotations

from contextlib import suppress

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from qa_audit.audit_tools import services
from qa_audit.audit_tools.grades import GRADED
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.errors import NotFound
from qa_audit.core.views import found_or_404

bp = Blueprint("audit_tools", __name__, url_prefix="/audit-tools")
TOOL_READERS = (Role.QA_LEAD, Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.ADMIN)


@bp.route("/")
@roles_required(*TOOL_READERS)
def index() -> ResponseReturnValue:
    tools = services.list_tools()
    current = None
    with suppress(NotFound):
        current = services.current_tool()
    return render_template("audit_tools/index.html", tools=tools, current=current)


@bp.route("/<key>")
@roles_required(*TOOL_READERS)
def show(key: str) -> ResponseReturnValue:
    tool = found_or_404(services.get_tool, key)
    return render_template(
        "audit_tools/show.html", tool=tool, grades=GRADED, in_use=services.tool_in_use(tool)
    )
