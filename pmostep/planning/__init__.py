"""Planning: scores, readiness for change, comments, trend, recommendations and the facilitator's
decisions."""
