"""The garbage-collector policy of a serving process.

CPython's full (generation 2) collection walks every tracked object. The mock's state grows with
every session — each cancellation keeps a new version of a record, each session its own tree — so
under load a full collection stopped the server for 100-300 ms every few seconds, and those pauses
were the whole p99 of the benchmark (`benchmarks/run.py`).

Mock state is JSON: acyclic, freed by reference counting alone. So a serving process freezes what
survives (`gc.freeze()`: the permanent generation, which collections never walk, while reference
counting still frees what is dropped): once when it starts, and then after every `every` vendor
requests, right after a young collection has reclaimed the young cyclic garbage. Full collections
then only walk what was allocated since the last freeze.

Between freezes, CPython's own young collections would still run every 700 net allocations and
stop the server for a millisecond or more each time they reach the middle generation (measured
under the benchmark's load: about six such stops a second, besides the freezes). The policy does
that work itself, in small steps: it freezes every 250 vendor requests (a young collection of that
many requests' objects: a few tenths of a millisecond) and raises the automatic threshold so far
(`young_limit` net allocations) that it only acts as a safety net, for a process that serves
something else than vendor requests for a long while.

The price: cyclic garbage that survives until a freeze is never reclaimed.
tests/http/test_collector.py drives every scenario through both lanes and checks the request paths
leave none. Only `cancel-contracts serve` turns the policy on; an app built in a test process
(where test code makes cycles freely) leaves the collector alone.
"""

from __future__ import annotations

import gc


class Collector:
    def __init__(self, every: int = 250, young_limit: int = 100_000) -> None:
        self.every = every
        self.young_limit = young_limit
        self._count = 0

    def start(self) -> None:
        """Freeze everything built at start-up (specs, plans, fixtures, imported modules) and leave
        young collections to `tick` (the automatic threshold becomes `young_limit`)."""
        gc.collect()
        gc.freeze()
        _young, middle, old = gc.get_threshold()
        gc.set_threshold(self.young_limit, middle, old)

    def tick(self) -> None:
        """One vendor request answered."""
        self._count += 1
        if self._count >= self.every:
            self._count = 0
            gc.collect(1)
            gc.freeze()
