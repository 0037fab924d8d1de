"""The bootstrap's draws: how many times each audit is drawn in each of the resamples, from
a fixed seed, so that the same pairs always give the same intervals. A draw depends on the
number of audits alone, so every group of that many audits shares one; draws are kept in the
process up to KEPT_DRAW_BYTES, and made and used a batch at a time when there are too many to
keep, so that memory stays bounded whatever the period (docs/agreement.md, "Cost")."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator

import numpy as np

# At most this many cells in one batch's (resamples x audits) matrix, to bound memory.
BATCH_CELLS = 2_000_000
# The draws kept between requests: at most this many bytes (one per audit and resample).
KEPT_DRAW_BYTES = 32_000_000
_kept_draws: OrderedDict[tuple[int, int, int], np.ndarray] = OrderedDict()
_kept_lock = threading.Lock()


def draw_counts(count: int, resamples: int, seed: int) -> np.ndarray:
    """How many times each of ``count`` audits is drawn in each of ``resamples`` bootstrap
    draws with replacement (resamples x count, read-only, the smallest whole-number type that
    holds them: a byte almost always). It depends on the number of audits alone, so every
    group of that many audits shares one draw; kept in the process for the sizes last asked
    for, up to KEPT_DRAW_BYTES (a breakdown's groups come in many sizes, asked again by the
    next page and the next breakdown)."""
    key = (count, resamples, seed)
    with _kept_lock:
        found = _kept_draws.get(key)
        if found is not None:
            _kept_draws.move_to_end(key)
            return found
    found = _draw(count, resamples, seed)
    with _kept_lock:
        _kept_draws[key] = found
        while len(_kept_draws) > 1 and sum(a.nbytes for a in _kept_draws.values()) > (
            KEPT_DRAW_BYTES
        ):
            _kept_draws.popitem(last=False)
    return found


def _draw_batches(count: int, resamples: int, seed: int) -> Iterator[np.ndarray]:
    """The draws, BATCH_CELLS at a time, always in the same order from the seed: kept whole
    (``_draw``) or used a batch at a time (``resampled_sums``), they are the same draws."""
    rng = np.random.default_rng(seed)
    batch = max(1, BATCH_CELLS // max(count, 1))
    for start in range(0, resamples, batch):
        size = min(batch, resamples - start)
        drawn = rng.integers(0, count, size=(size, count))
        # Row r's draws offset by r * count: one bincount counts every row at once.
        offsets = np.arange(size)[:, None] * count
        counts = np.bincount((drawn + offsets).ravel(), minlength=size * count)
        # No audit is drawn more than ``count`` times: that type holds every batch.
        yield counts.reshape(size, count).astype(np.min_scalar_type(count))


def _draw(count: int, resamples: int, seed: int) -> np.ndarray:
    chunks = list(_draw_batches(count, resamples, seed))
    counts = np.concatenate(chunks) if chunks else np.zeros((0, count), np.int64)
    counts = counts.astype(np.min_scalar_type(int(counts.max(initial=0))))
    counts.flags.writeable = False
    return counts


def resampled_sums(columns: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """Each bootstrap draw's sums of ``columns`` (one row per audit): draw counts @ columns,
    a batch of draws at a time so that only BATCH_CELLS of them are ever in float32 (all the
    draws of a busy year's 44,000 moderated audits at once were 350 MB more). float32 holds
    these whole numbers exactly, so the sums do not depend on the batching."""
    flat = columns.astype(np.float32)
    totals = np.empty((resamples, flat.shape[1]))
    if resamples * len(columns) > KEPT_DRAW_BYTES:
        # Too many to keep for the next request: drawn and used a batch at a time, never
        # held whole (2,000 draws of 44,000 audits are 88 MB even at a byte each).
        batches: Iterable[np.ndarray] = _draw_batches(len(columns), resamples, seed)
    else:
        counts = draw_counts(len(columns), resamples, seed)
        step = max(1, BATCH_CELLS // max(len(columns), 1))
        batches = (counts[start : start + step] for start in range(0, resamples, step))
    start = 0
    for batch in batches:
        totals[start : start + len(batch)] = batch.astype(np.float32) @ flat
        start += len(batch)
    return totals
