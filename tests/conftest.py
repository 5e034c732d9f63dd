"""Suite-wide settings.

The store shares records with vendor rules: `Records.read` hands out the stored record, and `put`
and `emit` keep what they are given. Here (STRICT_RECORDS) a rule that changes a shared record fails
loudly — in this process and in every server the suite starts (the variable is inherited).
"""

from __future__ import annotations

import os

os.environ["CANCEL_CONTRACTS_STRICT_RECORDS"] = "1"

from mockserver.core import store

store.STRICT_RECORDS = True
