"""Reporters: small handlers of engine events."""
