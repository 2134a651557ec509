"""Deployment: the roadmap of accepted entries in waves, and the plan that puts planning and roadmap
together."""
