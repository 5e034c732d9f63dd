"""Suite-wide settings.

`Records.read` hands vendor rules the stored record itself; here it hands out frozen copies that
raise on any change, so a rule that changes what it may only look at fails where it does so — in
this process and in every server the suite starts (the variable is inherited).
"""

from __future__ import annotations

import os

os.environ["CANCEL_CONTRACTS_STRICT_READS"] = "1"

from mockserver.core import store  # noqa: E402

store.STRICT_READS = True
