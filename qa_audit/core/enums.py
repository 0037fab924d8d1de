"""Enumerations whose members are shown to people by a label."""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A stored value shown as words: ``young_people`` reads "Young people".

    An enumeration whose labels say more than its values overrides ``label``."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def sql_values(enum: type[StrEnum]) -> str:
    """The members' values as an SQL list, for a CheckConstraint keeping a column honest."""
    return ", ".join(f"'{member.value}'" for member in enum)
