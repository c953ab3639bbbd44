"""Writes the OpenAPI document of every FastAPI app in apps/ as JSON, one file per app.

    python dump.py OUT_DIR

Each module `apps/NAME.py` must define `app`; its `app.openapi()` is written to
`OUT_DIR/NAME.json` (keys in FastAPI's own order, which is stable for pinned versions;
two-space indent, trailing newline). JSON files in OUT_DIR with no app are removed. Prints
one line per app: NAME, the document's `openapi` version and its path.
"""

import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(HERE / "apps"))
    names = sorted(p.stem for p in (HERE / "apps").glob("*.py") if not p.stem.startswith("_"))
    if not names:
        print(f"no apps under {HERE / 'apps'}", file=sys.stderr)
        return 1
    for stale in out.glob("*.json"):
        if stale.stem not in names:
            stale.unlink()
    for name in names:
        module = importlib.import_module(name)
        document = module.app.openapi()
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        path = out / f"{name}.json"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        print(f"{name}\t{document.get('openapi', '?')}\t{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
