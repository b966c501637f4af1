#!/usr/bin/env bash
# Runs the C harness against the FFI library under valgrind memcheck: every UniFFI lift, lower
# and buffer free of decodePdu, inspectProvisioning and checkPush, over the committed fuzz corpora. Needs gcc and
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
# The small, varied corpora and the regressions first; the large PDU corpus fills the rest.
mapfile -t inputs < <(ls fuzz/regressions/*/* fuzz/corpus/ffi_decode/* fuzz/corpus/provisioning_decode/* \
  fuzz/corpus/push_decode/* fuzz/corpus/pdu_structured/* fuzz/corpus/pdu_decode/* 2>/dev/null | head -n "$max")
valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite -q $out/harness "${inputs[@]}"
