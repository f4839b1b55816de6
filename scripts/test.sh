#!/usr/bin/env bash
# The whole test suite, on a fresh Debian/Ubuntu machine or a developer's:
# installs the real tools the tests drive, the package with its dev group,
# then runs lint, format and type checks and the tests with coverage.
# Set IMPLIB_SKIP_INSTALL=1 to only run the checks.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(llvm-19 lld lld-19 clang binutils-mingw-w64 gcc-mingw-w64 g++-mingw-w64 wine wine64 nginx openssl)
# The PyO3 recipes, built offline with Debian's Rust (tests/cross/test_recipes.py):
# rustc and cargo, the Rust std for x86_64-pc-windows-gnu, PyO3 0.17's sources
# (/usr/share/cargo/registry). Debian bookworm: rustc 1.63, cargo 1.65.
APT_PACKAGES+=(rustc cargo libstd-rust-dev-windows librust-pyo3-dev)

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

# README's first command, as a new user runs it before this script: the
# python3.lib it writes stays in the checkout while the tests run, so that a
# test that reads the working directory fails here rather than on a user's
# machine (.gitignore keeps the file out of git status and the sdist).
echo "== README's first command: implib gen --target x86_64-pc-windows-msvc --abi3"
python3 -m implib gen --target x86_64-pc-windows-msvc --abi3

echo "== ruff (lint, format)"
python3 -m ruff check implib tests scripts
python3 -m ruff format --check implib tests scripts
echo "== mypy --strict"
python3 -m mypy
echo "== pytest"
python3 -m pytest --cov=implib --cov-report=term --durations=20 "$@"

# The quick part of the suite on the oldest and the newest supported CPython the
# machine has besides python3 (pyenv's or on PATH), each in a venv of its own,
# both at once (each mostly waits on one core), each with test data of its own
# so that the two never share a wine prefix. Skipped when arguments select
# tests, or with IMPLIB_OTHER_PYTHONS=0.
if [ $# -eq 0 ] && [ "${IMPLIB_OTHER_PYTHONS:-1}" != 0 ]; then
    others=$(python3 scripts/interpreters.py)
    if [ -z "$others" ] && [ "${CI:-}" = true ]; then
        echo "CI=true and no other supported CPython found (install one with pyenv)" >&2
        exit 1
    fi
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/implib-tests"
    pids=()
    tags=()
    for interpreter in $others; do
        tag=$("$interpreter" -c 'import sys; print("py%d%d" % sys.version_info[:2])')
        venv="$cache/venvs/$tag"
        [ -x "$venv/bin/python" ] || "$interpreter" -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e . --group test
        echo "== pytest -m 'not slow' on $tag ($interpreter), in the background"
        IMPLIB_TEST_DATA="$cache/$tag" "$venv/bin/python" -m pytest -m "not slow" -q \
            -p no:cacheprovider > "$venv/pytest.log" 2>&1 &
        pids+=($!)
        tags+=("$tag")
    done
    failed=0
    for index in "${!pids[@]}"; do
        status=0
        wait "${pids[$index]}" || status=$?
        echo "== ${tags[$index]}: exit status $status"
        tail -n 40 "$cache/venvs/${tags[$index]}/pytest.log"
        [ "$status" = 0 ] || failed=1
    done
    exit $failed
fi
