#!/usr/bin/env bash
# The layering as checks, not as a picture (ARCHITECTURE.md draws it):
#  1. mms-codec and mms-decisions pull in no I/O stack: none of tokio, reqwest, rustls,
#     rusqlite, image in their normal dependency trees;
#  2. the mock MMSC shares bytes and decisions with the client, never its engine: mms-core is
#     not in its dependency tree;
#  3. no SQL outside the store (core/engine/src/store);
#  4. no hand-written source file over 800 lines (generated bindings excluded).
# Exits non-zero, naming every violation.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
fail() { echo "architecture: $*" >&2; status=1; }

for crate in mms-codec mms-decisions; do
  tree=$(cargo tree -q -p "$crate" -e normal --prefix none)
  for banned in tokio reqwest rustls rusqlite image; do
    if grep -qE "^${banned} v" <<<"$tree"; then
      fail "$crate depends on $banned (via: $(cargo tree -q -p "$crate" -e normal -i "$banned" --prefix none | tail -n +2 | head -3 | tr '\n' ' '))"
    fi
  done
done

if cargo tree -q -p mock-mmsc -e normal --prefix none | grep -qE "^mms-core v"; then
  fail "mock-mmsc depends on mms-core (the engine); it may use mms-codec and mms-decisions only"
fi

sql='\b(SELECT [a-z*]|INSERT (OR [A-Z]+ )?INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE (TABLE|INDEX)|ALTER TABLE|PRAGMA [a-z_]+)'
outside=$(git ls-files '*.rs' '*.kt' '*.swift' | grep -v '^core/engine/src/store/' |
  xargs grep -nE "$sql" 2>/dev/null | grep -vE '^[^:]+:[0-9]+:\s*(//|\*|#)' || true)
if [ -n "$outside" ]; then
  fail "SQL outside the store:"
  echo "$outside" >&2
fi

big=$(git ls-files '*.rs' '*.kt' '*.kts' '*.swift' '*.py' '*.sh' | grep -v '/generated/' |
  while read -r f; do n=$(wc -l <"$f"); [ "$n" -gt 800 ] && echo "  $f ($n lines)"; done || true)
if [ -n "$big" ]; then
  fail "hand-written files over 800 lines:"
  echo "$big" >&2
fi

[ $status = 0 ] && echo "architecture: layering, SQL and file sizes as they must be"
exit $status
