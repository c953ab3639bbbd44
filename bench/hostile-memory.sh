#!/usr/bin/env bash
# Peak memory and wall time of each hostile-server test (tests/live/hostile.rs), each run
# alone in the debug test binary, for bench/reliability.md:
#
#     bash bench/hostile-memory.sh
#
# Prints a Markdown table: test, peak RSS (MiB, of the whole test process), wall seconds,
# and whether the test passed.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(cargo test -p distributions-tests --test live --no-run --message-format json 2>/dev/null |
    python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "live" and m.get("executable"):
        print(m["executable"])')
tests=$(grep -A1 '^#\[tokio::test' tests/live/hostile.rs | grep -oE '^async fn [a-z0-9_]+' | sed 's/async fn //')
echo "| test | peak RSS (MiB) | wall (s) | result |"
echo "|---|---:|---:|---|"
for test in $tests; do
    log=$(mktemp)
    start=$(date +%s.%N)
    if /usr/bin/time -v "$binary" "hostile::$test" --exact --test-threads 1 >/dev/null 2>"$log"; then
        result=ok
    else
        result=FAILED
    fi
    end=$(date +%s.%N)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    printf '| `%s` | %.0f | %.2f | %s |\n' "$test" "$(echo "$rss / 1024" | bc -l)" \
        "$(echo "$end - $start" | bc -l)" "$result"
    rm -f "$log"
done
