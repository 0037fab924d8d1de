"""What each role's home page shows: the things that are theirs to do.

Each part of the domain offers its sections for the roles it serves through the
``home_sections`` signal; the home page lists the sections of every role the user holds.
"""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from sqlalchemy import func, select

from qa_audit.audit_tools.services import list_tools
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core import signals
from qa_audit.core.extensions import db
from qa_audit.core.home import Link, Section, sections_receiver


def sections_for(user: User) -> list[tuple[Role, list[Section]]]:
    """For each role the user holds (in a fixed order), the sections every part offers it."""
    found: dict[Role, list[Section]] = defaultdict(list)
    for _receiver, sections in signals.home_sections.send(user):
        for role, section in sections:
            found[role].append(section)
    return [(role, found[role]) for role in Role if role in user.roles]


def admin_accounts(user: User) -> Section:
    total, inactive = db.session.execute(
        select(
            func.count(User.id),
            func.count(User.id).filter(User.active.is_(False)),
        )
    ).one()
    return Section(
        title="Accounts",
        head=["Users", "Deactivated"],
        rows=[[str(total), str(inactive)]],
        links=[
            Link("Manage users", url_for("admin.users")),
            Link("Add a user", url_for("admin.new_user")),
            Link("Service areas and teams", url_for("admin.service_areas")),
        ],
    )


def qa_lead_tools(user: User) -> Section:
    tools = list_tools()
    return Section(
        title="Audit tools",
        head=["Version", "Launched", "Domains"],
        rows=[[t.key, t.launched_on.strftime("%-d %B %Y"), str(len(t.domains))] for t in tools],
        empty="No audit tools are loaded. Run 'qa-audit tools load'.",
        links=[Link("See the audit tools and their descriptors", url_for("audit_tools.index"))],
    )


def viewer_reports(user: User) -> Section:
    return Section(
        title="Reports",
        empty="The monthly and period QA reports: grades, moderation, the twelve-month "
        "direction of travel, feedback and learning themes.",
        links=[Link("See the QA report", url_for("reports.index"))],
    )


# This part's sections of the home page (connected to signals.home_sections in init_app).
home_sections = sections_receiver(
    (Role.ADMIN, admin_accounts),
    (Role.QA_LEAD, qa_lead_tools),
    (Role.VIEWER, viewer_reports),
)
