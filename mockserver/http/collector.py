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

The price: cyclic garbage that survives two young collections before a freeze is never
reclaimed. tests/http/test_collector.py drives every scenario through both lanes and checks the
request paths leave none. Only `cancel-contracts serve` turns the policy on; an app built in a
test process (where test code makes cycles freely) leaves the collector alone.
"""

from __future__ import annotations

import gc


class Collector:
    def __init__(self, every: int = 1000) -> None:
        self.every = every
        self._count = 0

    def start(self) -> None:
        """Freeze everything built at start-up (specs, plans, fixtures, imported modules)."""
        gc.collect()
        gc.freeze()

    def tick(self) -> None:
        """One vendor request answered."""
        self._count += 1
        if self._count >= self.every:
            self._count = 0
            gc.collect(1)
            gc.freeze()
