"""Documented vendor behaviours as data: one YAML file per vendor (see CONTRIBUTING.md)."""
