"""What an export may be asked: filters, encoding, the missing-value token, privacy and per-shape choices."""

from __future__ import annotations

from dataclasses import dataclass

from archive.agreement.selection import Selection
from archive.export.errors import ExportError

MISSING_TOKENS = {"blank": "", "NA": "NA", ".": ".", "#": "#"}
"""The missing-value tokens offered (by name): blank reads as missing in R, SPSS, Stata and pandas; never 0."""

POST_COLUMNS = ("text", "author", "date", "platform", "thread", "hashtags", "url")
"""Post metadata the coded dataset can carry, in this order unless chosen otherwise."""

MEMO_COLUMNS = ("post_memo", "thread_memo")
"""The dataset's memo columns: the row's coder's memos on the post and on its thread (per coder with --gold)."""

DATASET_COLUMNS = (*POST_COLUMNS, *MEMO_COLUMNS)
"""The columns the dataset can carry between the row's ids and its codes; all of them by default."""


@dataclass(frozen=True)
class ExportOptions:
    """Options shared by every shape; each shape reads the ones that concern it (docs/export.md)."""

    sample: str | None = None  # only this sample's posts (a coding round)
    codebook_version: int | None = None  # only work done under this codebook version
    min_coders: int | None = None  # posts completed by at least this many coders (None: the shape's default)
    bom: bool = False  # a UTF-8 byte-order mark, so Excel reads the file as UTF-8
    missing: str = ""  # the token written for a missing value (see MISSING_TOKENS)
    neutralise: bool = True  # formula neutralisation (see archive.export.safety)
    pseudonymise: bool = False  # authors and mentions as salted pseudonyms
    drop_text: bool = False  # leave post texts (and excerpts) out
    columns: tuple[str, ...] = DATASET_COLUMNS  # dataset: which post metadata and memo columns to include
    variable: str | None = None  # per-variable shapes: write only this code or variable, to the file given
    coders: tuple[str, ...] = ()  # recal2: the two coders (needed when more than two coded)
    bootstrap: int | None = None  # report: bootstrap resamples for alpha's interval
    seed: int | None = None  # report: the bootstrap's seed (drawn and recorded when None)
    gold: bool = False  # dataset: one row per post with the gold values instead of one per coder
    all_posts: bool = False  # qdpx: every collected post, not only those with coding work

    def check(self) -> None:
        """Refuse options that cannot be honoured, before anything is written."""
        if self.missing not in MISSING_TOKENS.values():
            offered = ", ".join(f"'{token}'" for token in MISSING_TOKENS.values())
            raise ExportError(f"'{self.missing}' cannot mark missing values: use one of {offered}")
        unknown = [column for column in self.columns if column not in DATASET_COLUMNS]
        if unknown:
            offered = ", ".join(DATASET_COLUMNS)
            raise ExportError(f"unknown dataset column(s) {', '.join(unknown)}: choose from {offered}")
        if self.bootstrap is not None and self.bootstrap < 1:
            raise ExportError("the bootstrap needs at least one resample")
        if self.seed is not None and self.bootstrap is None:
            raise ExportError("a seed only applies together with a bootstrap")
        if self.min_coders is not None and self.min_coders < 1:
            raise ExportError("the minimum number of coders per post is at least 1")

    def selection(self, default_min_coders: int) -> Selection:
        """The selection of completed work these options ask for."""
        minimum = default_min_coders if self.min_coders is None else self.min_coders
        return Selection(self.sample, self.codebook_version, minimum)
