"""BoundedCache is shared by every session (it lives on the cache_resource Atlas): many threads at once."""

import sys
import threading

from alliance_atlas.display import BoundedCache


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
