"""Shipped credential profiles (YAML data)."""
