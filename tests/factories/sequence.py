"""One counter for every factory, so references, case references and e-mail addresses made
in one test run never collide."""

from __future__ import annotations

import itertools

_numbers = itertools.count(1)


def next_number() -> int:
    return next(_numbers)
