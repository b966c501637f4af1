#!/usr/bin/env python3
"""Syntax check of the Swift and Kotlin sources no compiler here can build.

No Swift toolchain, Android SDK or Compose exists on the CI machine, so the iOS sources, the
Swift XCTest suite and the Android app module are parsed with tree-sitter grammars (PyPI
tree-sitter-swift and tree-sitter-kotlin) instead: a syntax error (unbalanced braces, a stray
token, a malformed declaration) fails; types and references are not checked. The generated
bindings are left out: the Kotlin is compiled by the Kotlin suite and the Swift is compared
byte for byte with the generator's output. Usage: scripts/syntax_check.py [FILE...] (default:
every tracked .swift, .kt and .kts file outside the generated directories, including the Kotlin
that kotlinc also compiles in CI).
"""
import pathlib
import subprocess
import sys

from tree_sitter import Language, Parser
import tree_sitter_kotlin
import tree_sitter_swift

GRAMMARS = {
    ".swift": Language(tree_sitter_swift.language()),
    ".kt": Language(tree_sitter_kotlin.language()),
    ".kts": Language(tree_sitter_kotlin.language()),
}


def default_files():
    out = subprocess.run(
        ["git", "ls-files", "*.swift", "*.kt", "*.kts"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    return [f for f in out if "/generated/" not in f]


def problems(path):
    """(line, column, what, text) of every error or missing node in the file's parse tree."""
    data = pathlib.Path(path).read_bytes()
    tree = Parser(GRAMMARS[pathlib.Path(path).suffix]).parse(data)
    found = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            what = f"missing {node.type}" if node.is_missing else "syntax error"
            text = data[node.start_byte:node.end_byte][:60].decode("utf-8", "replace")
            found.append((node.start_point[0] + 1, node.start_point[1] + 1, what, text))
        elif node.has_error:
            stack.extend(node.children)
    return sorted(found)


def main():
    files = sys.argv[1:] or default_files()
    bad = 0
    for f in files:
        found = problems(f)
        if found:
            bad += 1
        for line, col, what, text in found:
            print(f"{f}:{line}:{col}: {what}: {text!r}")
    print(f"{len(files)} Swift/Kotlin files parsed, {bad} with syntax errors")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
