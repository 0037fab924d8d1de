"""The rows that follow a month's audits: moderations (with their grades, and the reflective
conversation an Inadequate maintained after moderation calls for), feedback conversations,
actions and learning-theme tags. Each is drawn from the month's generator after the audits and
in this order, so that a size always gives the same rows."""

from __future__ import annotations

import numpy as np

from bench.bulk_rows import GRADES, Batch, MonthAudits, dates, pick

QUOTES = np.array(
    [
        "My social worker listens to me and tells me what is happening.",
        "I did not know why the meetings kept changing.",
        "She helped us get the support we needed at home.",
        "Nobody asked me what I thought about the plan.",
        "Things are better now; I see my brother every week.",
        "I would like the same worker to stay.",
    ],
    dtype=object,
)
ACTIONS = np.array(
    [
        "Update the assessment to reflect the change in household.",
        "Make the child's plan SMART and share it with the family.",
        "Record management oversight of the decision to step down.",
        "Engage the father in the next review.",
    ],
    dtype=object,
)
WHO = np.array(
    ["child", "care_experienced_adult", "mother", "father", "other_carer", "foster_carer", "other"],
    dtype=object,
)
WHO_P = [0.34, 0.06, 0.26, 0.12, 0.06, 0.12, 0.04]
HOW = np.array(["visit", "phone", "other"], dtype=object)
HOW_P = [0.6, 0.35, 0.05]
# Sampling rates by overall score (Inadequate is always moderated).
MODERATION_RATE = np.array([0.0, 1.0, 0.18, 0.45, 0.45])


def follow_ups(drawn: MonthAudits) -> list[Batch]:
    """The month's rows after its audits, in foreign-key order."""
    # One call after another, never reordered: each goes on drawing from the month's generator.
    moderation_rows = _moderations(drawn)
    feedback = _feedback(drawn)
    actions = _actions(drawn)
    themes = _learning_themes(drawn)
    return [*moderation_rows, feedback, actions, themes]


def _moderations(drawn: MonthAudits) -> list[Batch]:
    rng, n, lk, ids = drawn.rng, drawn.n, drawn.lookups, drawn.ids
    stamps, age, end_day = drawn.stamps, drawn.age, drawn.end_day
    counted, overall, audit_ids, area = drawn.counted, drawn.overall, drawn.audit_ids, drawn.area
    submitted, submitted_at = drawn.submitted, drawn.submitted_at
    scores, domains = drawn.scores, drawn.domains
    d = len(domains)

    # Moderation: every Inadequate, a sample of the rest; pending ones only in the last month.
    selected = counted & (rng.random(n) < MODERATION_RATE[overall])
    rows = np.flatnonzero(selected)
    m = len(rows)
    mod_ids = ids.take("moderation", m)
    pending = (rng.random(m) < 0.4) if age == 0 else np.zeros(m, dtype=bool)
    withdrawn = (rng.random(m) < 0.01) & ~pending
    done = ~pending & ~withdrawn
    swing = rng.random(m)
    before = overall[rows]
    after = before.copy()
    after[(swing < 0.18) & (before > 1)] -= 1
    after[(swing > 0.93) & (before < 4)] += 1
    outcome = np.where(
        after == before, "upheld", np.where(after > before, "upgraded", "downgraded")
    )
    moderated_on = np.minimum(
        submitted[rows] + rng.integers(0, 30, m).astype("timedelta64[D]"), end_day
    )
    moderated_text = dates(moderated_on)
    moderated_at = stamps.at(moderated_on, "15:00:00")
    moderator = lk.moderators[rng.integers(0, len(lk.moderators), m)]
    done_list = done.tolist()
    selected_at = [submitted_at[i] for i in rows.tolist()]
    moderation = Batch(
        "moderation",
        ("id", "audit_id", "status", "priority", "selection_reason", "selected_by_id",
         "selected_at", "due_on", "moderator_id", "overall_grade", "overall_rationale",
         "outcome", "moderated_on", "completed_at", "withdrawn_reason", "source", "version",
         "created_at", "updated_at"),
        list(zip(
            mod_ids.tolist(), audit_ids[rows].tolist(),
            ["completed" if c else ("withdrawn" if w else "selected")
             for c, w in zip(done_list, withdrawn.tolist(), strict=True)],
            ["high" if b == 1 else "normal" for b in before.tolist()],
            ["Inadequate: always moderated" if b == 1 else "Sampled at the rate for its grade"
             for b in before.tolist()],
            [None] * m, selected_at, dates(submitted[rows] + np.timedelta64(20, "D")),
            [x if c else None for x, c in zip(moderator.tolist(), done_list, strict=True)],
            [GRADES[a] if c else None for a, c in zip(after.tolist(), done_list, strict=True)],
            ["Agreed with the auditor's analysis." if c else "" for c in done_list],
            [o if c else None for o, c in zip(outcome.tolist(), done_list, strict=True)],
            [x if c else None for x, c in zip(moderated_text, done_list, strict=True)],
            [x if c else None for x, c in zip(moderated_at, done_list, strict=True)],
            ["Selected in error" if w else None for w in withdrawn.tolist()],
            ["app"] * m, [1] * m, selected_at,
            [x if c else s for x, c, s in zip(moderated_at, done_list, selected_at, strict=True)],
            strict=True,
        )),
    )  # fmt: skip

    # Moderation grades for the completed moderations: agree, or regrade by one.
    finished = rows[done]
    f = len(finished)
    mod_scores = scores[finished].copy()
    change = (rng.random((f, d)) < 0.12) & (mod_scores > 0)
    mod_scores[change] = np.clip(mod_scores[change] + rng.choice([-1, 1], change.sum()), 1, 4)
    moderation_grades = Batch(
        "moderation_grade",
        ("id", "moderation_id", "domain_key", "grade", "rationale"),
        list(zip(
            ids.take("moderation_grade", f * d).tolist(),
            np.repeat(mod_ids[done], d).tolist(), [x[1] for x in domains] * f,
            GRADES[mod_scores.ravel()].tolist(), ["" if not c else "Regraded on the evidence."
                                               for c in change.ravel().tolist()],
            strict=True,
        )),
    )  # fmt: skip

    # Reflective conversations: Inadequate maintained after moderation.
    kept = done & (before == 1) & (after == 1)
    k = int(kept.sum())
    k_rows = rows[kept]
    held = age >= 2
    due = moderated_on[kept] + np.timedelta64(10, "D")
    held_on = due - rng.integers(0, 8, k).astype("timedelta64[D]")
    reflective = Batch(
        "reflective_conversation",
        ("id", "moderation_id", "audit_id", "service_area_id", "status", "due_on", "held_on",
         "participants", "learning", "recorded_by_id", "recorded_at", "version", "created_at",
         "updated_at"),
        list(zip(
            ids.take("reflective_conversation", k).tolist(), mod_ids[kept].tolist(),
            audit_ids[k_rows].tolist(), lk.area_ids[area[k_rows]].tolist(),
            ["held" if held else "due"] * k, dates(due),
            dates(held_on) if held else [None] * k,
            ["Service manager, team manager, social worker" if held else None] * k,
            ["Escalate drift at the first review." if held else None] * k,
            lk.managers[area[k_rows]].tolist() if held else [None] * k,
            stamps.at(held_on, "16:00:00") if held else [None] * k,
            [1] * k, [moderated_at[i] for i in np.flatnonzero(kept).tolist()],
            [moderated_at[i] for i in np.flatnonzero(kept).tolist()], strict=True,
        )),
    )  # fmt: skip
    return [moderation, moderation_grades, reflective]


def _feedback(drawn: MonthAudits) -> Batch:
    rng, n, ids, counted = drawn.rng, drawn.n, drawn.ids, drawn.counted
    audit_ids, submitted_at = drawn.audit_ids, drawn.submitted_at
    # Feedback conversations.
    per = np.where(counted, rng.choice([0, 1, 2, 3], n, p=[0.25, 0.4, 0.25, 0.1]), 0)
    owner = np.repeat(np.arange(n), per)
    c = len(owner)
    feedback = Batch(
        "feedback_conversation",
        ("id", "audit_id", "who", "how", "said", "tone", "consent_to_quote", "created_at",
         "updated_at"),
        list(zip(
            ids.take("feedback_conversation", c).tolist(), audit_ids[owner].tolist(),
            rng.choice(WHO, c, p=WHO_P).tolist(), rng.choice(HOW, c, p=HOW_P).tolist(),
            pick(rng, QUOTES, c),
            ["positive" if x < 0.6 else "constructive" for x in rng.random(c).tolist()],
            (rng.random(c) < 0.4).tolist(), [submitted_at[i] for i in owner.tolist()],
            [submitted_at[i] for i in owner.tolist()], strict=True,
        )),
    )  # fmt: skip
    return feedback


def _actions(drawn: MonthAudits) -> Batch:
    rng, n, lk, ids = drawn.rng, drawn.n, drawn.lookups, drawn.ids
    stamps, end_day, counted = drawn.stamps, drawn.end_day, drawn.counted
    submitted, submitted_at = drawn.submitted, drawn.submitted_at
    area, auditor, audit_ids = drawn.area, drawn.auditor, drawn.audit_ids
    # Actions: due one to three months after submission; most done, some overdue.
    per = np.where(counted, rng.choice([0, 1, 2], n, p=[0.4, 0.4, 0.2]), 0)
    owner = np.repeat(np.arange(n), per)
    a = len(owner)
    action_due = submitted[owner] + rng.integers(30, 91, a).astype("timedelta64[D]")
    finished_on = action_due - rng.integers(0, 20, a).astype("timedelta64[D]")
    is_done = (finished_on <= end_day) & (rng.random(a) < 0.85)
    done_at = stamps.at(finished_on, "10:00:00")
    action_owner = lk.managers[area[owner]].tolist()
    is_done_list = is_done.tolist()
    actions = Batch(
        "action",
        ("id", "source", "audit_id", "description", "owner_id", "due_on", "status",
         "completed_at", "completed_by_id", "completion_note", "created_by_id", "version",
         "created_at", "updated_at"),
        list(zip(
            ids.take("action", a).tolist(), ["audit"] * a, audit_ids[owner].tolist(),
            pick(rng, ACTIONS, a), action_owner, dates(action_due),
            ["done" if x else "open" for x in is_done_list],
            [s if x else None for s, x in zip(done_at, is_done_list, strict=True)],
            [o if x else None for o, x in zip(action_owner, is_done_list, strict=True)],
            ["Done and checked at supervision." if x else None for x in is_done_list],
            auditor[owner].tolist(), [1] * a, [submitted_at[i] for i in owner.tolist()],
            [s if x else submitted_at[i]
             for s, x, i in zip(done_at, is_done_list, owner.tolist(), strict=True)],
            strict=True,
        )),
    )  # fmt: skip
    return actions


def _learning_themes(drawn: MonthAudits) -> Batch:
    rng, n, lk = drawn.rng, drawn.n, drawn.lookups
    counted, audit_ids = drawn.counted, drawn.audit_ids
    # Learning themes: up to three distinct themes per counted audit.
    per = np.where(counted, rng.choice([0, 1, 2, 3], n, p=[0.3, 0.35, 0.25, 0.1]), 0)
    order = np.argsort(rng.random((n, len(lk.themes))), axis=1)
    take = np.arange(len(lk.themes))[None, :] < per[:, None]
    theme_rows, theme_cols = np.nonzero(take)
    themes = Batch(
        "audit_learning_theme",
        ("audit_id", "learning_theme_id"),
        list(zip(
            audit_ids[theme_rows].tolist(), lk.themes[order[theme_rows, theme_cols]].tolist(),
            strict=True,
        )),
    )  # fmt: skip
    return themes
