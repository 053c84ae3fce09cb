"""Adjudication: the disagreement list, decisions by hand or by rule, and the gold standard's audit trail."""

from archive.adjudication.disagreements import Disagreement, disagreements, disagreements_in
from archive.adjudication.gold import (
    METHODS,
    AdjudicationError,
    GoldLogEntry,
    GoldValue,
    adjudicate,
    clear_gold,
    get_gold,
    gold_log,
    gold_values,
    post_gold,
)
from archive.adjudication.rules import RULES, SettleReport, settle
from archive.adjudication.values import UnitValues, current_values, post_values

__all__ = [
    "METHODS",
    "RULES",
    "AdjudicationError",
    "Disagreement",
    "GoldLogEntry",
    "GoldValue",
    "SettleReport",
    "UnitValues",
    "adjudicate",
    "clear_gold",
    "current_values",
    "disagreements",
    "disagreements_in",
    "get_gold",
    "gold_log",
    "gold_values",
    "post_gold",
    "post_values",
    "settle",
]
