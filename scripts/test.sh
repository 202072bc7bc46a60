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

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The pinned versions in constraints.txt: CI runs exactly what users get from a fresh install.
.venv/bin/python -m pip install -q -c constraints.txt -e '.[test,bench]'

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/python -m pytest "$@"
