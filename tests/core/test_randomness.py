"""Random identifiers: the canonical text of a version-4 UUID, hex digits, never repeated."""

from __future__ import annotations

import re
import uuid

from mockserver.core.randomness import random_hex, random_uuid


def test_a_random_uuid_is_a_canonical_version_4_uuid() -> None:
    seen = set()
    for _ in range(2000):
        text = random_uuid()
        parsed = uuid.UUID(text)
        assert str(parsed) == text  # canonical: lowercase, dashes where `str(uuid4())` puts them
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        seen.add(text)
    assert len(seen) == 2000


def test_every_variant_digit_occurs() -> None:
    """The variant digit is one of 8, 9, a, b — and all four occur (the random bits are kept)."""
    digits = {random_uuid()[19] for _ in range(400)}
    assert digits == set("89ab")


def test_random_hex_has_the_digits_asked_for() -> None:
    for digits in (1, 12, 22, 24, 32, 33):
        text = random_hex(digits)
        assert re.fullmatch(f"[0-9a-f]{{{digits}}}", text), text
    assert len({random_hex(24) for _ in range(1000)}) == 1000
