#!/usr/bin/env bash
# Instructions per decode of each payload, derive twin and ours, counted by callgrind: a
# measure that does not move with the machine's load (the MB/s of `cargo bench` do).
# Prints a Markdown table. Needs valgrind (Debian: valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p benchmarks --example decode_one
bin=target/release/examples/decode_one
count() { # payload decoder runs -> instructions of the whole process
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" "$3" 2>&1 \
        | sed -n 's/.*Collected : *//p'
}
echo "| payload | derive instructions | ours instructions | ours ÷ derive |"
echo "|---|---:|---:|---:|"
for payload in github-repository github-issues github-search stripe-charge tree; do
    row=()
    for decoder in derive ours; do
        one=$(count "$payload" "$decoder" 1)
        many=$(count "$payload" "$decoder" 21)
        row+=($(( (many - one) / 20 )))
    done
    ratio=$(python3 -c "print(f'{${row[1]} / ${row[0]}:.2f}')")
    echo "| $payload | ${row[0]} | ${row[1]} | $ratio |"
done
