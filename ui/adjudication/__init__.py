"""Adjudicating disagreements: the adjudication dialog, the decision panel, the disagreement list."""
