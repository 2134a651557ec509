"""Foundation, the framework's first step: the assessment and its facts (scope, sponsor, customers,
stakeholder groups, PMO type)."""
