#!/usr/bin/env python3
"""Writes the table of SECURITY.md that maps every threat ID of ../shared/THREATS.md to the tests
that prove its countermeasure, found in the code: a test proves an ID when its name starts with
the ID (`push_1_...`) or the ID appears in the test or in its doc comment.

  scripts/threat_map.py          rewrite the table between the markers in SECURITY.md
  scripts/threat_map.py --check  exit 1 when the table is stale (CI runs this)
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BEGIN = "<!-- threat-map: begin (scripts/threat_map.py) -->"
END = "<!-- threat-map: end -->"
ID = re.compile(r"\b(PDU|PUSH|TLS|OTA|CONTENT|LINK|REPORT|FILTER|AUDIT|MMSC)-(\d+)\b")
TEST_ATTR = re.compile(r"^\s*#\[(tokio::)?test\b")
FN = re.compile(r"^\s*(?:pub\s+)?(?:async\s+)?fn\s+([a-z0-9_]+)")


def threats():
    """(id, description) in catalogue order; descriptions from THREATS.md when present."""
    catalogue = ROOT.parent / "shared" / "THREATS.md"
    rows = []
    if catalogue.exists():
        for line in catalogue.read_text().splitlines():
            m = re.match(r"^\| ([A-Z]+-\d+) \| ([^|]+) \|", line)
            if m:
                rows.append((m.group(1), m.group(2).strip()))
    return rows


def tests_in(path):
    """(test name, set of IDs) for each test function of a Rust file."""
    lines = path.read_text(errors="replace").splitlines()
    out = []
    i = 0
    while i < len(lines):
        if not TEST_ATTR.match(lines[i]):
            i += 1
            continue
        # the doc comment above the attribute(s)
        j = i - 1
        doc = []
        while j >= 0 and (lines[j].strip().startswith("///") or lines[j].strip().startswith("#[")):
            doc.append(lines[j])
            j -= 1
        k = i
        while k < len(lines) and not FN.match(lines[k]):
            k += 1
        if k >= len(lines):
            break
        name = FN.match(lines[k]).group(1)
        indent = len(lines[k]) - len(lines[k].lstrip())
        end = k + 1
        while end < len(lines) and not (
            lines[end].startswith(" " * indent + "}") and len(lines[end]) - len(lines[end].lstrip()) == indent
        ):
            end += 1
        body = "\n".join(doc + lines[k : end + 1])
        ids = {f"{a}-{b}" for a, b in ID.findall(body)}
        m = re.match(r"^([a-z]+)_(\d+)_", name)
        if m:
            ids.add(f"{m.group(1).upper()}-{m.group(2)}")
        out.append((name, ids))
        i = end + 1
    return out


def table():
    files = subprocess.run(
        ["git", "ls-files", "*.rs"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    proofs = {}
    for f in files:
        if "/tests/" not in f and "/src/" not in f:
            continue
        for name, ids in tests_in(ROOT / f):
            for i in ids:
                proofs.setdefault(i, set()).add(f"`{f}::{name}`")
    rows = ["| ID | threat | tests that prove the countermeasure |", "| --- | --- | --- |"]
    for tid, desc in sorted(threats(), key=lambda t: t[0]):
        found = sorted(proofs.get(tid, []))
        rows.append(f"| {tid} | {desc} | {'<br>'.join(found) if found else '**none yet**'} |")
    return "\n".join(rows)


def main():
    doc = ROOT / "SECURITY.md"
    text = doc.read_text()
    if BEGIN not in text or END not in text:
        sys.exit("SECURITY.md has no threat-map markers")
    if not (ROOT.parent / "shared" / "THREATS.md").exists():
        print("threat map: ../shared/THREATS.md is absent; not checked")
        return
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{table()}\n{END}{tail}"
    if "--check" in sys.argv:
        if new != text:
            sys.exit("SECURITY.md's threat map is stale: run scripts/threat_map.py")
        print("threat map in SECURITY.md is current")
        return
    doc.write_text(new)


if __name__ == "__main__":
    main()
