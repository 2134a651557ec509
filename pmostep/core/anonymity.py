"""Which respondents' answers may be shown, and which views of them: the anonymity guarantee.

The guarantee (docs/scoring.md, "Groups and anonymity"): any two sets of respondents whose figures the
product shows are equal or differ by at least the assessment's minimum group size, whatever filters,
breakdowns, downloads or commands produced them, and at whatever time they were looked at.

How it holds: completed respondents are published in **blocks** of at least the minimum size, formed
in the order the answers arrived and never changed afterwards. A view (the respondents that filters
keep, or one group of a breakdown within them) is shown only when it is a whole number of blocks. Two
shown views then differ by whole blocks: by none, or by at least one block's worth of people; a view
seen before and after new answers arrive differs by the new blocks it takes in.

Blocks follow the profile fields, most important first (the questionnaire's order: stakeholder group,
business unit, involvement, tenure), so that the views people use most stay possible: a block mixes
values of a field only where too few people share one. Survey answers that arrive one by one wait
("pending") until at least the minimum number from their stakeholder group can form a block; the
pages say how many are waiting.

Within a shown view, a block's ratings of a statement count only where at least the minimum of its
people rated it (scoring.py, `_HELD_RATINGS`): rater sets then differ by whole blocks too.

This module is pure: `form` is one arrival event, which responses.publish applies to the database
and stores (table `published`); `blocks` and `publication` replay a whole history in memory, for the
property tests and the benchmark.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

Values = tuple[str, ...]
Arrival = tuple[int, Hashable, Values]     # respondent id, arrival event, profile values (fields' order)
Filters = Mapping[str, Collection[str]]


def blocks(arrivals: Iterable[Arrival], min_size: int) -> dict[int, int]:
    """Respondent id -> block number for the published respondents; those not in it are pending.

    `arrivals` come in arrival order; respondents of one event (one import, one demo load, one
    submission) arrived together, so no one could have seen the figures between them. The result for
    the first arrivals never depends on later ones: that is what makes views comparable over time.
    The store (responses.publish) takes the same steps one event at a time and keeps what they form.
    """
    waiting: list[tuple[int, Values]] = []
    block_of: dict[int, int] = {}
    numbers = itertools.count()
    for _, event in itertools.groupby(arrivals, key=lambda a: a[1]):
        formed, waiting = form(waiting, [(rid, values) for rid, _, values in event], min_size)
        for members in formed:
            block_of.update(dict.fromkeys(members, next(numbers)))
    return block_of


def form(waiting: list[tuple[int, Values]], arrived: list[tuple[int, Values]],
         min_size: int) -> tuple[list[list[int]], list[tuple[int, Values]]]:
    """One arrival event: the blocks that the waiting respondents and the new ones form, and who waits.

    A batch (more than one arrival at once) may pool several small stakeholder groups into one block;
    a single new answer can only complete a block of its own group.
    """
    if len(arrived) > 1:
        pool, kept = [*waiting, *arrived], []
    else:
        head = arrived[0][1][0] if arrived else None
        pool = [m for m in [*waiting, *arrived] if m[1][0] == head]
        kept = [m for m in waiting if m[1][0] != head]
    if len(pool) < min_size:
        return [], [*kept, *pool]
    formed, rest = _partition(pool, 0, min_size, mix_first=len(arrived) > 1)
    return formed, [*kept, *rest]


def _partition(pool: list[tuple[int, Values]], level: int, min_size: int,
               mix_first: bool) -> tuple[list[list[int]], list[tuple[int, Values]]]:
    """Blocks (each of at least `min_size` people) from a pool, and who stays pending.

    People who share the value of the field at `level` with at least `min_size - 1` others form blocks
    of their own, split further by the next fields. The others are pooled: deeper down, into a block
    that mixes their values if they are enough, else into the smallest block beside them. At the
    first field (the stakeholder group) they wait for more answers from their group, so that blocks
    keep to one group; only a batch of answers arriving at once (`mix_first`: an import, the demo) pools
    several small groups into one block, and only if they are enough.
    """
    if level >= len(pool[0][1]):
        return [[rid for rid, _ in pool]], []
    by_value: dict[str, list[tuple[int, Values]]] = defaultdict(list)
    for member in pool:
        by_value[member[1][level]].append(member)
    formed: list[list[int]] = []
    rest: list[tuple[int, Values]] = []
    for value in sorted(by_value):
        sub = by_value[value]
        if len(sub) >= min_size:
            formed.extend(_partition(sub, level + 1, min_size, mix_first)[0])
        else:
            rest.extend(sub)
    if not rest:
        return formed, []
    if len(rest) >= min_size and (level > 0 or mix_first):
        return [*formed, [rid for rid, _ in rest]], []
    if level == 0:
        return formed, rest
    smallest = min(range(len(formed)), key=lambda i: (len(formed[i]), i))
    formed[smallest] = [*formed[smallest], *(rid for rid, _ in rest)]
    return formed, []


@dataclass(frozen=True)
class View:
    """The respondents a view keeps, or why it may not be shown and which views may be instead."""

    members: np.ndarray                 # bool per published respondent, in the table's order
    withheld: str | None = None
    instead: list[dict[str, list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class Publication:
    """The published respondents of an assessment: their block and profile values (table), and how
    many completed respondents are still pending."""

    min_size: int
    fields: tuple[str, ...]
    table: pd.DataFrame                 # index: respondent id; columns: block and each field
    completed: int

    @property
    def published(self) -> int:
        return len(self.table)

    @property
    def pending(self) -> int:
        return self.completed - self.published

    @cached_property
    def _blocks(self) -> tuple[np.ndarray, np.ndarray]:
        """Each respondent's block and the size of every block, for whole_blocks (called per view)."""
        blocks = self.table["block"].to_numpy(dtype=np.int64)
        return blocks, np.bincount(blocks)

    @cached_property
    def _values(self) -> dict[str, np.ndarray]:
        return {f: self.table[f].to_numpy(dtype=object) for f in self.fields}

    def ids(self, members: np.ndarray) -> list[int]:
        return self.table.index[members].astype(int).tolist()

    def values(self, members: np.ndarray, by: str) -> list[str]:
        """The values of a field among these respondents, each once, sorted."""
        return sorted(set(self._values[by][members].tolist()))

    def whole_blocks(self, members: np.ndarray) -> bool:
        """Whether these respondents are a whole number of blocks (so they may be shown)."""
        if not members.any():
            return False
        blocks, sizes = self._blocks
        inside = np.bincount(blocks[members], minlength=len(sizes))
        return bool(((inside == 0) | (inside == sizes)).all())

    def match(self, filters: Filters | None) -> np.ndarray:
        """The published respondents whose profile answers are among the chosen values, field by field."""
        keep = np.ones(self.published, dtype=bool)
        for field_id, values in (filters or {}).items():
            if values:
                keep &= np.isin(self._values[field_id], list(values))
        return keep

    def view(self, filters: Filters | None) -> View:
        """The respondents the filters keep, if they may be shown; else why not, and what may be."""
        chosen = {f: sorted(set(v)) for f, v in (filters or {}).items() if v}
        members = self.match(chosen)
        if not chosen or self.whole_blocks(members):
            return View(members)
        kept = int(members.sum())
        if kept < self.min_size:
            reason = (f"These filters leave {kept} published respondents, fewer than the {self.min_size} "
                      "needed to show figures without exposing anyone.")
        else:
            reason = (f"These filters would split respondents who are only shown together: comparing this "
                      f"view with another could then single out the answers of fewer than {self.min_size} "
                      "people.")
        return View(members, reason, self._instead(chosen))

    def shown_groups(self, members: np.ndarray, by: str) -> dict[str, int]:
        """The groups of a breakdown (within a shown view) that may be shown, with their sizes."""
        shown = {}
        for value in self.values(members, by):
            group = members & (self._values[by] == value)
            if self.whole_blocks(group):
                shown[str(value)] = int(group.sum())
        return shown

    def _instead(self, chosen: dict[str, list[str]], limit: int = 3) -> list[dict[str, list[str]]]:
        """Filters close to the chosen ones that may be shown: one more value for a field, or a field
        fewer. Best first: those that keep every chosen field; none that is another one again."""
        options = {f: self.values(np.ones(self.published, dtype=bool), f) for f in chosen}
        candidates = [{**chosen, f: sorted([*values, extra])} for f, values in chosen.items()
                      for extra in options[f] if extra not in values and len(values) + 1 < len(options[f])]
        candidates += [{g: v for g, v in chosen.items() if g != f} for f in chosen]
        found, sets = [], []
        for candidate in candidates:
            members = self.match(candidate)
            key = members.tobytes()
            if key not in sets and (not candidate or self.whole_blocks(members)):
                found.append(candidate)
                sets.append(key)
            if len(found) == limit:
                break
        return found


def members(people: pd.DataFrame, fields: Sequence[str]) -> list[tuple[int, Values]]:
    """(id, profile values) of each row, as `form` takes them; a questionnaire without profile fields
    gives every respondent the same empty value."""
    values = (zip(*(people[f].tolist() for f in fields), strict=True) if fields
              else [("",)] * len(people))            # lists: iterating pandas' Arrow strings is slow
    return list(zip(people["id"].astype(int).tolist(), values, strict=True))


def publication(respondents: pd.DataFrame, fields: Sequence[str], min_size: int) -> Publication:
    """The publication of completed respondents given in arrival order (columns id, event, fields)."""
    fields = tuple(fields)
    arrivals = ((rid, event, values) for event, (rid, values) in
                zip(respondents["event"].tolist(), members(respondents, fields), strict=True))
    block_of = blocks(arrivals, min_size)
    rows = pd.Index(respondents["id"]).get_indexer(list(block_of))
    table = respondents.iloc[rows].set_index("id")[list(fields)]
    table.insert(0, "block", list(block_of.values()))
    return Publication(min_size, fields, table, len(respondents))
