#!/usr/bin/env bash
# Runs the C harness against the FFI library under valgrind memcheck: every UniFFI lift, lower
# and buffer free of decodePdu, inspectProvisioning and checkPush, over the committed fuzz seeds. Needs gcc and
# valgrind (installed with apt when missing). Exit status is non-zero on any memory error.
#   bindings/c/memcheck.sh [MAX_INPUTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
max=${1:-400}
for tool in gcc valgrind; do
  command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq $tool; }
done
cargo build -q -p mms-ffi
out=target/c-harness
mkdir -p $out
gcc -std=c11 -O1 -g -Wall -Wextra -I bindings/swift/generated bindings/c/harness.c \
  -L target/debug -lmms_ffi -Wl,-rpath,"$PWD/target/debug" -o $out/harness
# The regressions and the small, varied seed sets first; the PDU seeds fill the rest.
seeds=$out/seeds
rm -rf "$seeds"
for t in ffi_decode provisioning_decode push_decode pdu_structured pdu_decode; do
  python3 scripts/fuzz_seeds.py unpack "$t" "$seeds/$t"
done
mapfile -t inputs < <(ls fuzz/regressions/*/* "$seeds"/ffi_decode/* "$seeds"/provisioning_decode/* \
  "$seeds"/push_decode/* "$seeds"/pdu_structured/* "$seeds"/pdu_decode/* 2>/dev/null | head -n "$max")
valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite -q $out/harness "${inputs[@]}"
