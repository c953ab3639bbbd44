#!/usr/bin/env python3
"""Writes the JSON payloads of the decode benchmark into bench/data/payloads/, deterministically
(the same inputs give the same bytes).

- github-repository.json: octokit's `components/examples/full-repository` value, with the one
  required property it lacks (`has_discussions`) added.
- github-issues.json: 100 issues, from octokit's `issue` and `issue-items` examples, with
  varied ids, numbers, titles and URLs so that no two issues share those strings.
- github-search.json: octokit's `issue-search-result-item-paginated` example with its items
  replicated to 100 the same way.
- stripe-charge.json: a Stripe `charge` synthesized from the subset spec (Stripe's spec has
  no examples): every property filled, optional ones included, with plausible values; the
  charge's expandable fields (`customer`, `balance_transaction`, `payment_intent`, `invoice`,
  ...) are expanded into full objects, theirs are left as ids, and past a depth bound only
  required properties are filled.
- tree.json: a comment thread for bench/data/specs/tree.yaml: a spine of 47 nested comments,
  each with several short reply threads; the deepest JSON nesting stays below 100 levels.

Usage: bench/payloads.py  (reads bench/.cache/specs/api.github.com.json from bench/fetch.sh
and the subset bench/data/specs/stripe.json from bench/extract.py; see bench/make-data.sh)
"""

import copy
import hashlib
import json
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "data" / "payloads"


def write(name, value):
    """Compact JSON, as APIs send it, with a final newline."""
    path = OUT / name
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{path.relative_to(BENCH.parent)}: {path.stat().st_size} bytes, nesting {nesting(value)}")


def nesting(value):
    """The deepest nesting of arrays and objects (a scalar is 0)."""
    if isinstance(value, dict):
        return 1 + max((nesting(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((nesting(v) for v in value), default=0)
    return 0


# GitHub

TITLES = [
    "Crash when the config file is empty",
    "Document the retry policy",
    "Support pagination links with a relative URL",
    "Decode error on a null milestone",
    "Flaky test: timeout on slow CI machines",
    "Add a builder for the search query",
    "Unicode in labels is shown escaped: café, naïve, 日本語",
    "Rate limit headers are ignored after a redirect",
    'Quote "characters" in titles break the parser',
    "Upgrade to the 2024 edition",
]


def vary_issue(issue, i, base_id, base_number):
    """A copy of an issue example with its own id, node id, number, title and URLs."""
    issue = copy.deepcopy(issue)
    old_number = issue["number"]
    number = base_number + i
    issue["id"] = base_id + i * 7919
    issue["node_id"] = f"I_kwDOA{issue['id']:09d}"
    issue["number"] = number
    issue["title"] = f"{TITLES[i % len(TITLES)]} (#{number})"
    for key in ("url", "labels_url", "comments_url", "events_url", "html_url"):
        if isinstance(issue.get(key), str):
            issue[key] = issue[key].replace(f"/issues/{old_number}", f"/issues/{number}")
    if isinstance(issue.get("body"), str):
        issue["body"] = f"{issue['body']}\n\nSeen in build {i * 37 + 1000}."
    issue["comments"] = (i * 13) % 40
    return issue


def github():
    spec = json.loads((BENCH / ".cache" / "specs" / "api.github.com.json").read_text())
    examples = spec["components"]["examples"]
    repository = examples["full-repository"]["value"]
    # The example lacks `has_discussions`, which the `full-repository` schema requires.
    repository.setdefault("has_discussions", False)
    write("github-repository.json", repository)
    sources = [examples["issue"]["value"], examples["issue-items"]["value"][0]]
    issues = [vary_issue(sources[i % 2], i, 1_200_000, 1_000) for i in range(100)]
    write("github-issues.json", issues)
    search = copy.deepcopy(examples["issue-search-result-item-paginated"]["value"])
    item = search["items"][0]
    search["items"] = [vary_issue(item, i, 35_802, 100) for i in range(100)]
    search["total_count"] = 2_800
    write("github-search.json", search)


# Stripe

PREFIXES = {
    "account": "acct",
    "application": "ca",
    "application_fee": "fee",
    "balance_transaction": "txn",
    "bank_account": "ba",
    "card": "card",
    "charge": "ch",
    "customer": "cus",
    "discount": "di",
    "dispute": "dp",
    "file": "file",
    "invoice": "in",
    "invoiceitem": "ii",
    "mandate": "mandate",
    "payment_intent": "pi",
    "payment_method": "pm",
    "price": "price",
    "product": "prod",
    "refund": "re",
    "review": "prv",
    "setup_intent": "seti",
    "source": "src",
    "subscription": "sub",
    "subscription_item": "si",
    "tax_id": "txi",
    "tax_rate": "txr",
    "transfer": "tr",
    "transfer_reversal": "trr",
}

WORDS = {
    "city": "San Francisco",
    "country": "US",
    "currency": "usd",
    "email": "jenny.rosen@example.com",
    "line1": "510 Townsend St",
    "line2": "Suite 200",
    "name": "Jenny Rosen",
    "phone": "+14155550123",
    "postal_code": "94103",
    "state": "CA",
    "last4": "4242",
    "brand": "visa",
    "fingerprint": "Xt5EWLLDS7FJjR1c",
    "description": "Order #1024: two tickets",
    "statement_descriptor": "EXAMPLE SHOP",
    "locale": "en-US",
}

# Objects at this depth or deeper get only their required properties (the charge is at depth
# 0, the values of its properties at 1).
FILL_DEPTH = 6
# Expandable fields (`anyOf: [string id, $ref]`) are expanded up to this depth: the charge's.
EXPAND_DEPTH = 1
# Required properties may nest deeper than FILL_DEPTH; a schema that needs more is refused.
MAX_DEPTH = 12


class Stripe:
    def __init__(self, spec):
        self.schemas = spec["components"]["schemas"]
        self.counter = 0

    def next(self):
        self.counter += 1
        return self.counter

    def resolve(self, schema):
        """(schema, component name or None) with `$ref`s followed."""
        name = None
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            schema = self.schemas[name]
        return schema, name

    def token(self, resource):
        """A Stripe-looking id for a resource, e.g. `cus_000012Ab`."""
        n = self.next()
        prefix = PREFIXES.get(resource, (resource or "obj")[:4])
        digest = hashlib.sha1(f"{resource}{n}".encode()).hexdigest()[:14]
        return f"{prefix}_{n:06d}{digest}"

    def value(self, schema, depth, key, resource=None):
        schema, name = self.resolve(schema)
        resource = schema.get("x-resourceId", name) or resource
        if "anyOf" in schema or "oneOf" in schema:
            return self.union(schema.get("anyOf") or schema.get("oneOf"), depth, key)
        if "allOf" in schema:
            merged = {"type": "object", "properties": {}, "required": []}
            for part in schema["allOf"]:
                part, _ = self.resolve(part)
                merged["properties"].update(part.get("properties", {}))
                merged["required"] += part.get("required", [])
            return self.object(merged, depth, resource)
        kind = schema.get("type")
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            return values[self.next() % len(values)] if key not in ("object",) else values[0]
        if kind == "object" or "properties" in schema:
            return self.object(schema, depth, resource)
        if kind == "array":
            count = 2 if depth <= 1 else 1 if depth < FILL_DEPTH else 0
            count = max(count, schema.get("minItems", 0))
            return [self.value(schema["items"], depth, key, resource) for _ in range(count)]
        if kind == "string":
            return self.string(schema, key, resource)
        if kind == "integer":
            if schema.get("format") == "unix-time":
                return 1_700_000_000 + self.next() * 3_607
            if "amount" in key or key in ("total", "subtotal", "balance"):
                return 1_000 + (self.next() % 50) * 250
            return self.next() % 365 + 1
        if kind == "number":
            return round(0.5 + (self.next() % 100) / 8, 3)
        if kind == "boolean":
            return self.next() % 2 == 0
        # A free-form value.
        return {"note": f"{key} value"}

    def union(self, variants, depth, key):
        refs = [v for v in variants if "$ref" in v]
        ids = [v for v in variants if v.get("type") == "string" and "enum" not in v]
        if refs and ids:
            # An expandable field: an id, or the object when expanded.
            target = refs[0]["$ref"].rsplit("/", 1)[1]
            if depth <= EXPAND_DEPTH:
                return self.value(refs[0], depth, key)
            return self.token(target)
        return self.value(variants[0], depth, key)

    def object(self, schema, depth, resource):
        if depth > MAX_DEPTH:
            sys.exit(f"payloads.py: required properties nest deeper than {MAX_DEPTH} ({resource})")
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        out = {}
        for key, prop in properties.items():
            if depth >= FILL_DEPTH and key not in required:
                continue
            resolved, _ = self.resolve(prop)
            if depth >= FILL_DEPTH and resolved.get("nullable") and "enum" not in resolved:
                out[key] = None
                continue
            if key == "id" and resolved.get("type") == "string":
                out[key] = self.token(resource)
            else:
                out[key] = self.value(prop, depth + 1, key, resource)
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict):
            # A map: metadata-like string maps get string keys, the others currency codes.
            values, _ = self.resolve(extra)
            keys = ["order_id", "channel"] if values.get("type") == "string" else ["usd", "eur"]
            out = {k: self.value(extra, depth + 1, k, resource) for k in keys}
        return out

    def string(self, schema, key, resource):
        if "pattern" in schema:
            literal = schema["pattern"].lstrip("^").rstrip("$")
            if not re.fullmatch(r"[A-Za-z0-9/_.-]*", literal):
                sys.exit(f"payloads.py: no value for the pattern {schema['pattern']}")
            return f"{literal}?file={self.token('file')}"
        if schema.get("format") == "decimal":
            return f"{self.next() % 100}.{self.next() % 1000:03d}"
        if key in WORDS:
            text = WORDS[key]
        elif key.endswith("url") or key == "url":
            text = f"https://example.com/{resource or 'object'}/{self.next()}"
        elif key.endswith("_id") or key in PREFIXES or key in ("promotion_code", "source"):
            text = self.token(key.removesuffix("_id"))
        else:
            text = f"{key.replace('_', ' ')} {self.next()}"
        return text[: schema.get("maxLength", len(text))]


def stripe():
    spec = json.loads((BENCH / "data" / "specs" / "stripe.json").read_text())
    synth = Stripe(spec)
    charge = synth.value({"$ref": "#/components/schemas/charge"}, 0, "charge")
    write("stripe-charge.json", charge)


# The comment thread

AUTHORS = ["ada", "grace", "linus", "barbara", "ken", "margaret", "dennis", "frances"]
SENTENCES = [
    "I can reproduce this on the latest release.",
    "Could you share the full log? The interesting part is cut off.",
    'The "retry" flag does nothing here:\n\n    cargo run -- --retry 3',
    "Agreed, that looks like the same bug as the one fixed last month.",
    "Déjà vu: the encoder drops the trailing newline again.",
    "Closing in favour of the newer issue, which has a minimal example.",
    "This needs a test before it can be merged. 👍",
]
SPINE = 47
REPLIES = 5


class Thread:
    def __init__(self):
        self.count = 0

    def node(self, depth):
        """One comment, without `children` (added by the caller)."""
        self.count += 1
        n = self.count
        node = {
            "id": 9_000_000 + n,
            "author": AUTHORS[n % len(AUTHORS)],
            "body": " ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(1 + n % 3)),
            "created_at": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z",
            "edited_at": None if n % 3 else f"2024-12-{1 + n % 28:02d}T08:00:00Z",
            "score": round((n * 37 % 1000) / 10 - 20, 1),
            "state": ["visible", "hidden", "flagged", "archived"][n % 4 if n % 10 == 0 else n % 2],
            "tags": [f"t{n % 7}", f"depth-{depth}"][: 1 + n % 2],
        }
        if n % 5:
            node["deleted"] = n % 5 == 1
        return node

    def reply_thread(self, depth):
        """A reply with two short answers of its own."""
        node = self.node(depth)
        node["children"] = []
        for _ in range(2):
            leaf = self.node(depth + 1)
            leaf["children"] = []
            node["children"].append(leaf)
        return node

    def spine(self, depth, parent):
        node = self.node(depth)
        if parent is not None:
            stub = {k: v for k, v in parent.items() if k not in ("children", "parent")}
            node["parent"] = stub | {"children": []}
        children = [self.reply_thread(depth + 1) for _ in range(REPLIES)]
        if depth + 1 < SPINE:
            children.insert(depth % (REPLIES + 1), self.spine(depth + 1, node))
        node["children"] = children
        return node


def tree():
    root = Thread().spine(0, None)
    if nesting(root) >= 100:
        sys.exit(f"payloads.py: the thread nests {nesting(root)} levels, more than 99")
    write("tree.json", root)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    github()
    stripe()
    tree()


if __name__ == "__main__":
    main()
