"""A small thread-safe LRU cache for values derived from one dataset (kept on the Atlas, shared by sessions)."""

from __future__ import annotations

import threading
from collections import OrderedDict


class BoundedCache:
    """A small LRU cache (max_entries) for per-view results, kept on the Atlas."""

    def __init__(self, max_entries: int = 128):
        self.max_entries = max_entries
        self._data: OrderedDict = OrderedDict()
        # Shared by all sessions' script threads: every read/move/insert/evict under one lock.
        # make() runs outside it (two threads may build the same value; the first stored wins).
        self._lock = threading.Lock()

    def get_or_make(self, key, make):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            self._data[key] = value
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)
