#!/usr/bin/env bash
# Soak check (not part of .ci/run): runs the end-to-end and server tests ROUNDS
# times in a row (default 20), then the whole `cargo test --workspace` FULL times
# (default 3), all while two CPU hogs and a parallel `cargo build` of another
# target directory load the machine. Any failure fails the soak: no test is
# retried, so a flake shows up as a failed round.
#
#   scripts/soak.sh              # 20 rounds + 3 full runs
#   ROUNDS=5 FULL=1 scripts/soak.sh
#
# Logs of failed rounds are kept in target/soak/.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${ROUNDS:-20}"
full="${FULL:-3}"
logs=target/soak
mkdir -p "$logs"

# The servers' and the browser's tests: the dashboard's browser test and HTTP
# suites (SQLite, SQLite with Redis, PostgreSQL), the Redis store suite, the
# PostgreSQL suites and wall, the audit log on both databases, and the harness
# tests themselves.
server_tests=(
    -p dashboard --test browser --test http_sqlite --test http_postgres
    -p tenant-diesel-tests --test stores --test postgres_suites --test postgres_wall
    --test postgres_sql_shape --test audit --test directory --test process_harness
)

scripts/install-deps.sh
echo "building the tests before loading the machine" >&2
cargo test --workspace --no-run >"$logs/build.log" 2>&1

load_dir="$(mktemp -d -t tenant-diesel-soak-load-XXXXXX)"
load_pids=()
stop_load() {
    for pid in "${load_pids[@]}"; do
        kill -- "-$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$load_dir"
}
trap stop_load EXIT

# Each load in a process group of its own (setsid), so that stopping it stops
# everything it started, cargo's rustc processes included.
setsid sh -c 'while :; do :; done' &
load_pids+=($!)
setsid sh -c 'while :; do :; done' &
load_pids+=($!)
setsid sh -c "while :; do rm -rf '$load_dir/target'; \
    cargo build --workspace --target-dir '$load_dir/target' >/dev/null 2>&1; done" &
load_pids+=($!)
echo "load: two CPU hogs and a cargo build into $load_dir/target" >&2

passed=0
failed=0
run() {
    local name="$1"
    shift
    local started=$SECONDS
    if "$@" >"$logs/$name.log" 2>&1; then
        passed=$((passed + 1))
        echo "$name: ok ($((SECONDS - started)) s)" >&2
        rm -f "$logs/$name.log"
    else
        failed=$((failed + 1))
        echo "$name: FAILED ($((SECONDS - started)) s), log in $logs/$name.log" >&2
        grep -E "^test .* FAILED|panicked at" "$logs/$name.log" | head -5 >&2 || true
    fi
}

for i in $(seq 1 "$rounds"); do
    run "servers-$i" cargo test "${server_tests[@]}"
done
for i in $(seq 1 "$full"); do
    run "workspace-$i" cargo test --workspace
done

echo "soak under load: $rounds rounds of the server and browser tests, $full of the workspace"
echo "soak: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
