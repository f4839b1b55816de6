#!/usr/bin/env bash
# The whole test suite, on a fresh Debian/Ubuntu machine or a developer's:
# installs the real tools the tests drive, the package with its dev group,
# then runs lint, format and type checks and the tests with coverage.
# Set IMPLIB_SKIP_INSTALL=1 to only run the checks.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(llvm-19 lld lld-19 clang binutils-mingw-w64 gcc-mingw-w64 wine wine64 nginx)

if [ "${IMPLIB_SKIP_INSTALL:-}" != 1 ]; then
    missing=()
    for package in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    # pip 25.1 is the first that installs PEP 735 dependency groups.
    python3 -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
    python3 -m pip install --quiet --disable-pip-version-check -e . --group dev
fi

echo "== ruff (lint, format)"
python3 -m ruff check implib tests scripts
python3 -m ruff format --check implib tests scripts
echo "== mypy --strict"
python3 -m mypy
echo "== pytest"
python3 -m pytest --cov=implib --cov-report=term "$@"
