#!/usr/bin/env bash
# Installs the system packages the tests need, when they are missing: PostgreSQL
# (the tests start their own throwaway server from its binaries), libpq, MariaDB
# (the same: `mariadb-install-db` and `mariadbd`) and its client library, Redis
# (the tests start their own `redis-server` too), and Chromium with its WebDriver
# (the dashboard's browser test drives a headless `chromium` through
# `chromedriver`; it fails, never skips, without them).
set -euo pipefail

missing=()
have_pg_server() {
    command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ] && return 0
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}
have_pg_server || missing+=(postgresql)
[ -e /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
# mariadbd lives in /usr/sbin, which a non-root PATH may leave out.
have_mariadb_server() {
    { command -v mariadbd || command -v mysqld || [ -x /usr/sbin/mariadbd ]; } >/dev/null 2>&1 \
        && { command -v mariadb-install-db || command -v mysql_install_db; } >/dev/null 2>&1
}
have_mariadb_server || missing+=(mariadb-server)
[ -e /usr/include/mariadb/mysql.h ] || missing+=(libmariadb-dev)
# Diesel links `libmysqlclient`: the compat package provides it over libmariadb.
[ -e /usr/include/mysql/mysql.h ] || missing+=(libmariadb-dev-compat)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "missing system packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
