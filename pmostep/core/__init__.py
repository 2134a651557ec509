"""The ground every step stands on: the questionnaire, documentation sections, number formatting,
errors, safe spreadsheet cells, the sign-in limits and the anonymity rules (all pure)."""
