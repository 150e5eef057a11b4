#!/usr/bin/env python3
"""Fails when a file includes a cf/<layer>/ header its layer may not use (docs/layering.md), or
when source code parses JSON other than through cf::parse_json (the depth-bounded entry point in
src/base/json.cpp: nlohmann's own parse builds documents of any depth, and dump(), copies and
comparisons of those recurse once per level)."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
table = (root / "docs" / "layering.md").read_text()
allowed = {}
for line in table.splitlines():
    m = re.match(r"^\| (\w+) \|([^|]*)\|$", line)
    if m and m.group(1) not in ("layer",):
        deps = [d.strip() for d in m.group(2).split(",") if d.strip()]
        allowed[m.group(1)] = set(deps) | {m.group(1)}

if not allowed:
    sys.exit("layering_test: no layer table found in docs/layering.md")

include_re = re.compile(r'#\s*include\s*"cf/(\w+)/')
raw_json_parse_re = re.compile(r'\b(?:json|Json|nlohmann::json|basic_json<[^>]*>)::(?:parse|sax_parse|accept)\s*\(')
json_entry_point = pathlib.Path("src/base/json.cpp")
violations = []
checked = 0
for base in ("include/cf", "src", "tests"):
    for path in (root / base).rglob("*"):
        if path.suffix not in (".hpp", ".cpp", ".h", ".cc"):
            continue
        rel = path.relative_to(root / base)
        layer = rel.parts[0]
        if layer not in allowed:
            # tests/support and tests/e2e may use anything; unknown folders under src/include are errors
            if base == "tests":
                continue
            violations.append(f"{path}: folder '{layer}' is not a layer in docs/layering.md")
            continue
        checked += 1
        for n, text in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = include_re.search(text)
            if m and m.group(1) not in allowed[layer]:
                violations.append(f"{path}:{n}: layer '{layer}' may not include cf/{m.group(1)}/")
            if (base != "tests" and path.relative_to(root) != json_entry_point
                    and raw_json_parse_re.search(text)):
                violations.append(f"{path}:{n}: parse JSON with cf::parse_json (cf/base/json.hpp), "
                                  "which bounds the nesting depth")

for v in violations:
    print(v)
print(f"layering_test: {checked} files checked, {len(violations)} violations")
sys.exit(1 if violations else 0)
