"""Initiation: discovering the current project world through survey links and imported exports."""
