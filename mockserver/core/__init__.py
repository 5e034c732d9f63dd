"""Vendor-neutral mock machinery: no HTTP framework, no vendor knowledge."""
