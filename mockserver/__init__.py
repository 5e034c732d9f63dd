"""Stateful, spec-driven mock of five vendors' cancel-a-meeting APIs."""
