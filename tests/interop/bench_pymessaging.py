"""Times python-messaging's MMS decoder over every file in a directory.

Prints one JSON line: {"pdus": N, "decoded": K, "seconds": S, "per_second": R}.
Used by core/codec/benches/pdu_decode.rs to report our decoder's speed as a ratio against it.
"""
import array
import json
import os
import sys
import time

from messaging.mms.message import MMSMessage

inputs = []
for name in sorted(os.listdir(sys.argv[1])):
    with open(os.path.join(sys.argv[1], name), "rb") as f:
        inputs.append(array.array("B", f.read()))

min_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
rounds = 0
decoded = 0
start = time.perf_counter()
while True:
    for data in inputs:
        try:
            MMSMessage.from_data(data)
            decoded += 1
        except Exception:
            pass
    rounds += 1
    elapsed = time.perf_counter() - start
    if elapsed >= min_seconds:
        break
n = rounds * len(inputs)
print(json.dumps({"pdus": n, "decoded": decoded, "seconds": elapsed, "per_second": n / elapsed}))
