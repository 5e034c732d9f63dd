"""Random identifiers the vendors' answers carry (request ids, change keys, new record ids).

They only need to be unique, not to be objects: `str(uuid.uuid4())` builds a `UUID` to print it
(about 3.4 µs here, several times per Graph answer), while the same text straight from
`os.urandom` takes about 1.3 µs. The randomness is the operating system's, as `uuid4`'s is, so
worker processes never repeat each other.
"""

from __future__ import annotations

import os
from collections.abc import Callable

# Where the random bytes come from (tests that compare two apps byte for byte seed it).
entropy: Callable[[int], bytes] = os.urandom

# the RFC 4122 variant (binary 10xx) of a random hex digit
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def random_uuid() -> str:
    """A random (version 4) UUID in its canonical form, as `str(uuid.uuid4())` gives it."""
    h = entropy(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


def random_hex(digits: int) -> str:
    """`digits` random lowercase hex digits."""
    return entropy((digits + 1) // 2).hex()[:digits]
