#!/usr/bin/env bash
# Counts the instructions of every SQLite benchmark shape, hand-written and scoped,
# under callgrind: figures that a shared, noisy machine cannot move.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p tenant-diesel-benches --bin instructions
bin=target/release/instructions
out=$(mktemp -d)
echo "| shape | hand-written (instructions) | scoped (instructions) | ratio |"
echo "|---|---|---|---|"
for shape in load_1_rows load_100_rows load_10000_rows find_by_id join_100_rows insert_1_rows insert_100_rows update_by_id; do
    for side in hand_written scoped; do
        valgrind --tool=callgrind --toggle-collect='*measured*' \
            --callgrind-out-file="$out/$shape.$side" "$bin" "$shape" "$side" >/dev/null 2>&1
    done
    hand=$(awk '/^totals:/ {print $2}' "$out/$shape.hand_written")
    scoped=$(awk '/^totals:/ {print $2}' "$out/$shape.scoped")
    printf '| %s | %s | %s | %.4f |\n' "$shape" "$hand" "$scoped" "$(echo "$scoped / $hand" | bc -l)"
done
rm -rf "$out"
