"""When index segments are merged: small ones in tiers, big ones never behind the researcher's back.

Every commit writes a new segment, and a search pays a little for each segment, so small segments must be
merged now and then. Whoosh-Reloaded's default policy (``MERGE_SMALL``) instead waits until some two
dozen segments exist and then merges nearly all of them at once: on a million posts that was a merge of
800,000 posts (4 GB of temporary files, many minutes) inside an ordinary commit. Here a commit merges
only when ten segments below one size tier have piled up, and only those: a few thousand posts after a
day of coding, never the large segments a rebuild writes (which commits with ``NO_MERGE``).
"""

from __future__ import annotations

from typing import Any

from whoosh.writing import NO_MERGE

from index.whoosh_format import merge_segments_into

# Segment sizes in posts. A merge reads at most PILE segments below the tier: 5,000 posts (a second or
# two) in the first, 50,000 (some seconds, after about a thousand commits) in the second. Larger
# segments, such as the 32,000-post ones a rebuild writes, are left as they are.
TIERS = (500, 5_000)
PILE = 10  # segments below a tier that make a merge


def merge_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: merge the segments below the first tier that has ``PILE`` of them."""
    for bound in TIERS:
        small = [segment for segment in segments if segment.doc_count_all() < bound]
        if len(small) >= PILE:
            merge_segments_into(writer, small)
            return [segment for segment in segments if segment not in small]
    return segments


__all__ = ["NO_MERGE", "PILE", "TIERS", "merge_tiers"]
