"""The whole codebook as one set-valued variable, for multi-valued alpha (mvα, experimental).

A coder's value for a post is the set of codes they applied to it: each independent code by its name and,
for a variable, the name of the value chosen (code names are unique in a codebook). A post the coder
completed with none of them is the empty set ("coded, no code applies"); a post the coder did not complete
is missing, as in every other table (see ``tables``).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Any

from archive.agreement.tables import ProjectTables
from archive.agreement.targets import NONE, Target
from archive.reliability.data import MISSING, Label, ReliabilityData
from archive.reliability.multivalued import multivalued_entry, set_table

WHOLE_CODEBOOK = "(whole codebook)"
LABELS = "the codes each coder applied to the post (independent codes and variables' values); {} when none"


def codebook_sets(tables: ProjectTables) -> ReliabilityData:
    """One set-valued table over the posts and coders of ``tables``, built from the per-target tables."""
    columns = [(data, _set_labels(target, data)) for target in tables.targets for data in [tables.tables[target.name]]]
    cells: list[list[AbstractSet[Label] | None]] = []
    for u in range(len(tables.units)):
        row: list[AbstractSet[Label] | None] = []
        for c in range(len(tables.coders)):
            # Every target's table has the same missing cells: a coder who did not complete the post.
            if not columns or columns[0][0].rows[u][c] == MISSING:
                row.append(None)
                continue
            row.append(frozenset(label for data, labels in columns if (label := labels[data.rows[u][c]]) is not None))
        cells.append(row)
    return set_table(WHOLE_CODEBOOK, tables.coders, tables.units, cells)


def _set_labels(target: Target, data: ReliabilityData) -> list[str | None]:
    # Per value index of the target's table: the label it puts in the set, or None (absent / no value).
    if target.code.exclusive:
        return [None if value == NONE else str(value) for value in data.values]
    return [target.name if value == 1 else None for value in data.values]


def whole_codebook_entry(tables: ProjectTables) -> dict[str, Any]:
    """The report's ``multi_valued_alpha`` object: mvα on ``codebook_sets``, marked experimental."""
    return {"variable": WHOLE_CODEBOOK, "labels": LABELS, **multivalued_entry(codebook_sets(tables))}
