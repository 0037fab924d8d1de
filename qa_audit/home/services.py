"""What each role's home page shows: the things that are theirs to do.

Each part of the domain registers a provider for the roles it serves; the home page lists
the sections of every role the user holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.db import utcnow
from qa_audit.extensions import db


@dataclass
class Link:
    text: str
    href: str


@dataclass
class Section:
    title: str
    rows: list[list[str]] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    empty: str = "Nothing to do here yet."
    links: list[Link] = field(default_factory=list)
    count: int | None = None


Provider = Callable[[User], Section]
PROVIDERS: dict[Role, list[Provider]] = {role: [] for role in Role}


def provides(*roles: Role) -> Callable[[Provider], Provider]:
    """Register a home-page section for these roles."""

    def register(fn: Provider) -> Provider:
        for role in roles:
            PROVIDERS[role].append(fn)
        return fn

    return register


def home_sections(user: User) -> list[tuple[Role, list[Section]]]:
    """For each role the user holds (in a fixed order), the sections they see."""
    return [(role, [p(user) for p in PROVIDERS[role]]) for role in Role if role in user.roles]


@provides(Role.ADMIN)
def admin_accounts(user: User) -> Section:
    from flask import url_for

    total, inactive, locked = db.session.execute(
        select(
            func.count(User.id),
            func.count(User.id).filter(User.active.is_(False)),
            # A lock whose time is over stays recorded until the next sign-in; it is not a lock.
            func.count(User.id).filter(User.locked_until > utcnow()),
        )
    ).one()
    return Section(
        title="Accounts",
        head=["Users", "Deactivated", "Locked after failed sign-ins"],
        rows=[[str(total), str(inactive), str(locked)]],
        links=[
            Link("Manage users", url_for("admin.users")),
            Link("Add a user", url_for("admin.new_user")),
            Link("Service areas and teams", url_for("admin.service_areas")),
        ],
    )


@provides(Role.QA_LEAD)
def qa_lead_tools(user: User) -> Section:
    from flask import url_for

    from qa_audit.audit_tools.services import list_tools

    tools = list_tools()
    return Section(
        title="Audit tools",
        head=["Version", "Launched", "Domains"],
        rows=[[t.key, t.launched_on.strftime("%-d %B %Y"), str(len(t.domains))] for t in tools],
        empty="No audit tools are loaded. Run 'qa-audit tools load'.",
        links=[Link("See the audit tools and their descriptors", url_for("audit_tools.index"))],
    )


@provides(Role.VIEWER)
def viewer_reports(user: User) -> Section:
    from flask import url_for

    return Section(
        title="Reports",
        empty="The monthly and period QA reports: grades, moderation, the twelve-month "
        "direction of travel, feedback and learning themes.",
        links=[Link("See the QA report", url_for("reports.index"))],
    )
