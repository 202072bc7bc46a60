#!/usr/bin/env bash
# The project's one test command (README, .ci/run): installs what the tests need, then runs
# ruff, mypy and the whole pytest suite (slow end-to-end tests included).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages for the end-to-end tests: the browser test drives Debian's chromium, the render
# check converts a draft with LibreOffice and pdftoppm, with the CJK fonts the 公文 preview maps to.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Serif CJK" || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "AR PL UKai" || need+=(fonts-arphic-ukai)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL for the store and search tests over both backends: DRAFTER_TEST_PG names a server to use
# (a URL a test may create databases with); otherwise a throwaway cluster from Debian's postgresql-15
# runs on a private unix socket (no TCP port) for this run and is removed at exit.
if [ -z "${DRAFTER_TEST_PG:-}" ]; then
  pgbin=/usr/lib/postgresql/15/bin
  if [ ! -x "$pgbin/initdb" ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "installing: postgresql-15"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
  fi
  pgdir="$(mktemp -d /tmp/drafter-pg.XXXXXX)"
  as_pg=()
  if [ "$(id -u)" = 0 ]; then  # the server refuses to run as root
    chown postgres "$pgdir"
    as_pg=(runuser -u postgres --)
  fi
  stop_pg() {
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  }
  trap stop_pg EXIT
  "${as_pg[@]}" "$pgbin/initdb" --no-sync -D "$pgdir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$pgdir/initdb.log"
  # In the configuration file, so that the fault tests' plain `pg_ctl start` brings the same server back.
  printf "listen_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\nmax_connections = 200\n" "$pgdir" \
    >>"$pgdir/data/postgresql.conf"
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w start >/dev/null
  export DRAFTER_TEST_PG="postgresql://postgres@/postgres?host=$pgdir"
  # the fault tests restart this server under load
  export DRAFTER_TEST_PG_CTL="${as_pg[*]} $pgbin/pg_ctl -D $pgdir/data -l $pgdir/server.log"
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The pinned versions in constraints.txt: CI runs exactly what users get from a fresh install.
.venv/bin/python -m pip install -q -c constraints.txt -e '.[test,bench]'

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/python -m pytest "$@"
