#!/usr/bin/env bash
# Install the system packages the whole test suite uses, when they are missing:
# Debian's Chromium (browser tests of the dashboard) and the PostgreSQL server (the store's
# contract tests against a real server; the tests start a throwaway cluster of their own).
# Needs apt and root (or password-less sudo). Without them it says what is missing, and
# those tests skip, unless KINGMAKER_REQUIRE_SERVICES=1 (as in CI), when this fails.
set -euo pipefail

need=()
[ -x "${KINGMAKER_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium fonts-liberation)
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    need+=(postgresql)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    sudo=(none)
fi
if [ "${sudo[0]:-}" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "missing system packages: ${need[*]} (install them with apt as root); their tests will skip" >&2
    [ "${KINGMAKER_REQUIRE_SERVICES:-0}" = 1 ] && exit 1
    exit 0
fi

echo "installing system packages: ${need[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
install() { "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}" >&2; }
install || { "${sudo[@]}" apt-get update -q >&2 && install; }
