"""BoundedCache is shared by every session (it lives on the cache_resource Atlas): many threads at once."""

import sys
import threading
from collections import OrderedDict

from alliance_atlas.data.cache import BoundedCache


def test_many_threads_tiny_cache_no_errors_no_wrong_values():
    cache = BoundedCache(max_entries=3)
    errors, wrong = [], []
    barrier = threading.Barrier(16)

    def work(tid):
        barrier.wait()
        for i in range(400):
            key = (tid + i) % 7
            try:
                got = cache.get_or_make(key, lambda k=key: ("v", k))
            except Exception as exc:  # noqa: BLE001 - any exception is a failure
                errors.append(repr(exc))
                continue
            if got != ("v", key):
                wrong.append((key, got))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads very often so unlocked races show up
    try:
        threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors, errors[:5]
    assert not wrong, wrong[:5]
    assert len(cache) <= 3


class _PausingDict(OrderedDict):
    """An OrderedDict that, once armed, pauses inside its first membership test (up to 0.5 s) so that
    another thread can run in between — the interleaving that breaks an unlocked check-then-act."""

    def __init__(self):
        super().__init__()
        self.armed = False
        self.paused = threading.Event()
        self.resume = threading.Event()

    def __contains__(self, key):
        found = super().__contains__(key)
        if self.armed and found:
            self.armed = False
            self.paused.set()
            self.resume.wait(0.5)
        return found


def test_eviction_between_lookup_and_move_cannot_break_a_reader():
    """Thread A finds key 1 in the cache and pauses; thread B then adds key 3, which evicts key 1.
    Unlocked, A's move_to_end(1) raises KeyError (what 8 threads hit in the issue); locked, B waits
    for A, so A returns its value and B's insert follows."""
    cache = BoundedCache(max_entries=2)
    cache.get_or_make(1, lambda: "one")
    cache.get_or_make(2, lambda: "two")
    slow = _PausingDict()
    slow.update(cache._data)
    cache._data = slow
    got, errors = {}, []

    def reader():
        try:
            got["a"] = cache.get_or_make(1, lambda: "rebuilt")
        except Exception as exc:  # noqa: BLE001 - the failure this test is about
            errors.append(repr(exc))

    slow.armed = True
    a = threading.Thread(target=reader)
    a.start()
    assert slow.paused.wait(5)
    b = threading.Thread(target=lambda: cache.get_or_make(3, lambda: "three"))
    b.start()
    b.join(0.3)  # unlocked, B finishes (and evicts key 1) while A is paused; locked, B is still waiting
    slow.resume.set()
    a.join(5)
    b.join(5)
    assert not errors, errors
    assert got["a"] == "one"
    assert len(cache) <= 2
