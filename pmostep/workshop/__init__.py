"""Workshop mode: the room votes from phones, the projector shows it beside the survey (docs/workshop.md).

activities  the kinds of activity, the check of a phone's answer, a round's results and their anonymity
items       the names of the dimensions, statements and entries an activity is about
store       the workshop tables (the only place their SQL is written)
live        the reads pages, phone routes and CLI share: the phone view, the room, every round's results
agenda      the agenda drawn from the assessment: gaps, disagreements, recommendations
priority    revealed dots and points -> the workshop priority and 2x2 placements planning uses (pure)
export      every round as one long table, for the CSV
followup    the room's ratings next to those of earlier assessments' workshops
"""
