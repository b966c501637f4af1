#!/usr/bin/env python3
"""How long one sync waits when many phones sync at once on this disk: each thread appends
32 KB to its own file and calls fdatasync, as a SQLite WAL commit does while the WAL grows.
Prints the syncs per second of all threads together and the wait per sync of one thread.

  scripts/sync_latency.py [directory]   (default: the current directory)
"""
import os
import sys
import threading
import time


def worker(path, n, out, i):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    start = time.time()
    for _ in range(n):
        os.write(fd, b"y" * 32768)
        os.fdatasync(fd)
    out[i] = time.time() - start
    os.close(fd)
    os.unlink(path)


def main():
    where = sys.argv[1] if len(sys.argv) > 1 else "."
    for threads in (1, 8, 32, 75):
        n = max(20, 1000 // threads)
        out = {}
        ts = [
            threading.Thread(
                target=worker, args=(os.path.join(where, f"sync-{i}.tmp"), n, out, i)
            )
            for i in range(threads)
        ]
        start = time.time()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        elapsed = time.time() - start
        print(
            f"{threads} threads appending 32 KB: {threads * n / elapsed:.0f} syncs/s in all, "
            f"{elapsed / n * 1000:.2f} ms per sync per thread"
        )


if __name__ == "__main__":
    main()
