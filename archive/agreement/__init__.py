"""Inter-coder reliability on a project's own codings: per code, per variable, pairwise, per round."""

from archive.agreement.report import ProjectAgreement, agreement_job, alpha_value, project_agreement
from archive.agreement.selection import CellRow, Cells, Selection, select
from archive.agreement.tables import ProjectTables, build_tables
from archive.agreement.targets import NONE, Target, find_target, list_targets
from archive.jobs import JobProgress

__all__ = [
    "NONE",
    "CellRow",
    "Cells",
    "JobProgress",
    "ProjectAgreement",
    "ProjectTables",
    "Selection",
    "Target",
    "agreement_job",
    "alpha_value",
    "build_tables",
    "find_target",
    "list_targets",
    "project_agreement",
    "select",
]
