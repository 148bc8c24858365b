#!/usr/bin/env bash
# The tests that need no server and no browser: SQLite compiled in, the memory
# store, the compile-fail suite, the escape-hatch report. Runs on any machine with
# Rust. It is NOT the full suite: PostgreSQL's row-level security, MariaDB, Redis
# and the browser test are in scripts/test.sh, which CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

# Test targets of the suites crate that start a PostgreSQL or MariaDB server in
# every test.
server_only="async_postgres postgres_attacks postgres_suites postgres_verify postgres_wall rls_lookups row_locks mysql_attacks mysql_harness mysql_suites mysql_verify async_mysql"
targets=()
for file in tests/tests/*.rs; do
    name="$(basename "$file" .rs)"
    case " $server_only " in
        *" $name "*) ;;
        *) targets+=(--test "$name") ;;
    esac
done

cargo test -p tenant-core --features axum,cache
cargo test -p tenant-macros -p tenant-diesel -p tenant-diesel-report -p tenant-diesel-ui-tests
# The mixed targets keep their server tests in `postgres` / `mysql` / `redis`
# modules (or name them so): skipped by name here, run by scripts/test.sh.
cargo test -p tenant-diesel-tests --lib "${targets[@]}" -- --skip postgres --skip mysql --skip redis
cargo test -p dashboard --lib --test http_sqlite --test process -- --skip redis
