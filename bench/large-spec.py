#!/usr/bin/env python3
"""Writes a spec of at least 50 MB built from GitHub's (bench/.cache/specs/api.github.com.json,
fetched by bench/fetch.sh): its paths repeated under /copyN prefixes, with operationIds made
unique, until the JSON is that large. Used for the generator's memory bound
(bench/reliability.md):

    python3 bench/large-spec.py bench/.cache/specs/large.json
    /usr/bin/time -v target/release/generator bench/.cache/specs/large.json --out /tmp/large
"""
import json
import sys

TARGET = 50 * 1000 * 1000


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/.cache/specs/large.json"
    with open("bench/.cache/specs/api.github.com.json") as f:
        spec = json.load(f)
    paths = list(spec["paths"].items())
    size = len(json.dumps(spec))
    copy = 0
    while size < TARGET:
        copy += 1
        for path, item in paths:
            if size >= TARGET:
                break
            item = json.loads(json.dumps(item))
            for op in item.values():
                if isinstance(op, dict) and "operationId" in op:
                    op["operationId"] = f"copy{copy}/{op['operationId']}"
            name = f"/copy{copy}{path}"
            spec["paths"][name] = item
            size += len(json.dumps(name)) + len(json.dumps(item)) + 4
    with open(out, "w") as f:
        json.dump(spec, f)
    size = len(json.dumps(spec))
    print(f"{out}: {size} bytes, {len(spec['paths'])} paths ({copy} copies)")


if __name__ == "__main__":
    main()
