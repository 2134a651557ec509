"""The PMO types a PMO can aim for: one definition for the Foundation facts and the catalogue."""

# TenStep's four PMO types, from lightest to most involved: id -> what a PMO of that type does.
PMO_TYPES = {
    "I": "Project Reporting: consolidates status and reports on all projects; few standards.",
    "II": "Project Management Infrastructure: adds a common methodology, templates, tools and governance.",
    "III": "Coaching and Training Center: also builds skills, through training, mentoring and coaching.",
    "IV": "Resource Center / Center of Excellence: owns project managers and is accountable for success.",
}
