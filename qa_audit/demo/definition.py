"""What the demo data set holds: the accounts, one per role, and the shape of two years of
audits (how many, where, how they improve, what people said, what was agreed). No names of
children or families anywhere; case references are "LCS" and digits."""

from __future__ import annotations

from dataclasses import dataclass

from qa_audit.auth.roles import Role

DEMO_PASSWORD = "demo-password-qa-audit"  # printed by `make run`; demo installs only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: tuple[Role, ...]
    area_key: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("auditor@example.org", "Alex Auditor", (Role.AUDITOR,), "locality"),
    DemoAccount("auditor2@example.org", "Bea Auditor", (Role.AUDITOR,), "corporate_parenting"),
    DemoAccount("moderator@example.org", "Morgan Moderator", (Role.MODERATOR, Role.AUDITOR)),
    DemoAccount(
        "manager@example.org",
        "Sam Service-Manager",
        (Role.SERVICE_MANAGER, Role.AUDITOR),
        "locality",
    ),
    DemoAccount("qa.lead@example.org", "Quinn QA-Lead", (Role.QA_LEAD, Role.MODERATOR)),
    DemoAccount("viewer@example.org", "Vic Viewer", (Role.VIEWER,)),
    DemoAccount("admin@example.org", "Ada Admin", (Role.ADMIN,)),
)


def extra_email(kind: str, index: int) -> str:
    """The address of the ``index``-th (from 0) extra "auditor" or "moderator": the people
    of EXTRA_AUDITORS and EXTRA_MODERATORS, who cannot sign in."""
    return f"demo.{kind}{index + 1:02d}@example.org"


def demo_emails() -> list[str]:
    """Every demo account's address, those that sign in and the extra ones."""
    extra = [extra_email("auditor", i) for i in range(len(EXTRA_AUDITORS))]
    extra += [extra_email("moderator", i) for i in range(len(EXTRA_MODERATORS))]
    return [account.email for account in DEMO_ACCOUNTS] + extra


SEED = 20240401
REFERENCE_PREFIX = "DEMO-"
MONTHS = 24
GRADES = ["inadequate", "requires_improvement", "good", "outstanding"]  # score 1..4
SCORE = {g: i + 1 for i, g in enumerate(GRADES)}
# Relative size of each service area's share of the audits.
AREA_WEIGHTS = {
    "front_door": 5,
    "assessment": 8,
    "locality": 14,
    "cwcn": 4,
    "corporate_parenting": 9,
    "care_experienced": 5,
    "fostering": 4,
    "fgc": 2,
    "youth_justice": 3,
    "early_help": 6,
}
EXTRA_AUDITORS = [
    "Jordan Ellis",
    "Priya Natarajan",
    "Tom Okafor",
    "Hannah Price",
    "Dev Malik",
    "Sophie Turner",
    "Marcus Reid",
    "Aisha Rahman",
    "Liam Byrne",
    "Grace Holloway",
    "Owen Parry",
    "Fatima Begum",
    "Chris Wade",
    "Nina Kowalski",
]
EXTRA_MODERATORS = ["Rachel Stone (Principal Social Worker)", "Ian Fletcher (QI manager)"]
QUOTES = {
    "positive": [
        "My worker listens to me and explains things so I understand.",
        "I know what my plan is and who to ring if things go wrong.",
        "She came back when she said she would. That matters.",
        "Things at home are calmer since the family meeting.",
        "I was asked what I wanted and it was written down.",
        "The support for my son has made a real difference at school.",
        "They helped me keep in touch with my brother.",
    ],
    "constructive": [
        "I have had four social workers this year and had to tell my story again each time.",
        "Nobody asked me, as his dad, what I thought.",
        "Meetings are at times I cannot get to because of work.",
        "I did not get the minutes of the meeting until weeks later.",
        "I would like to be told sooner when things change.",
        "It felt like the plan was made before I arrived.",
    ],
}
WORKING_WELL = [
    "Relationship-based work with the child is evident in recording.",
    "Multi-agency partners are engaged and information is shared.",
    "The child's voice is clear and shapes the plan.",
    "Supervision records reflective discussion and clear actions.",
]
NEEDS_IMPROVEMENT = [
    "The plan's actions are not specific or time-bound.",
    "The assessment has not been updated after the change of circumstances.",
    "Fathers and significant males are not engaged in the work.",
    "Management oversight does not address drift in the plan.",
]
IMPACT = [
    "The child is safer and attending school more regularly.",
    "Drift means the child waits longer for permanence.",
    "The family understand what needs to change and by when.",
]
ACTIONS = [
    "Update the assessment to reflect the change in household",
    "Make the child's plan SMART and share it with the family",
    "Contact the child's father and record his views",
    "Hold a supervision to review drift and agree timescales",
    "Complete the chronology and share with partners",
    "Arrange a visit to see the child alone",
]
DIP_SAMPLES = [
    (
        "Child participation and planning for cared-for review meetings",
        "children",
        20,
        ["corporate_parenting"],
        ["Child's voice not evident in recording"],
    ),
    (
        "Repeat child protection plans",
        "families",
        5,
        ["locality"],
        ["Drift and delay", "Cumulative harm not recognised"],
    ),
    (
        "Section 47 decision making",
        "families",
        17,
        ["front_door", "assessment"],
        ["Multi-agency information not shared"],
    ),
    (
        "Early Years personal education plans",
        "children",
        6,
        ["corporate_parenting"],
        ["Plans not SMART"],
    ),
    (
        "Pathway plans for care-experienced young people",
        "young_people",
        12,
        ["care_experienced"],
        ["Contingency planning weak"],
    ),
]
