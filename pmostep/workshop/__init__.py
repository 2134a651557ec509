"""Workshop mode: the room votes from phones, the projector shows it beside the survey (docs/workshop.md).

activities  the kinds of activity, the check of a phone's answer, a round's results (pure)
agenda      the agenda drawn from the assessment: gaps, disagreements, recommendations (pure)
priority    revealed dots and points -> the workshop priority the ranking uses (pure)
store       the workshop tables (the only place their SQL is written), and the reads built on them
"""
