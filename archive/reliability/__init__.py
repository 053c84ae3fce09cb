"""Inter-coder reliability: Krippendorff's alpha (with a unit bootstrap) and the kappa family, Qt-free."""

from archive.reliability.alpha import krippendorff_alpha
from archive.reliability.bootstrap import BootstrapResult, bootstrap_alpha
from archive.reliability.brennan_prediger import brennan_prediger
from archive.reliability.cohen import cohen_kappa
from archive.reliability.csv_long import load_long_csv, read_long_csv
from archive.reliability.data import ReliabilityData, from_long, from_matrix
from archive.reliability.errors import BootstrapCancelled, ReliabilityInputError
from archive.reliability.fleiss import fleiss_kappa
from archive.reliability.gwet import gwet_ac1
from archive.reliability.metrics import LEVELS, Level
from archive.reliability.multivalued import multivalued_alpha
from archive.reliability.percent import all_agree, coder_pairs, percent_agreement
from archive.reliability.report import agreement_report, report_tables
from archive.reliability.result import AgreementResult, BinaryCounts
from archive.reliability.scott import scott_pi

__all__ = [
    "LEVELS",
    "AgreementResult",
    "BinaryCounts",
    "BootstrapCancelled",
    "BootstrapResult",
    "Level",
    "ReliabilityData",
    "ReliabilityInputError",
    "agreement_report",
    "all_agree",
    "bootstrap_alpha",
    "brennan_prediger",
    "coder_pairs",
    "cohen_kappa",
    "fleiss_kappa",
    "from_long",
    "from_matrix",
    "gwet_ac1",
    "krippendorff_alpha",
    "load_long_csv",
    "multivalued_alpha",
    "percent_agreement",
    "read_long_csv",
    "report_tables",
    "scott_pi",
]
