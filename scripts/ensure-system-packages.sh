#!/usr/bin/env bash
# Install the Debian packages the test suite and the benchmark need, where missing:
# - postgresql: the throw-away server of with-postgres.sh (make test, make soak, make bench);
# - libpango: WeasyPrint draws the committee report's PDF with it (the service needs it too);
# - chromium: the browser tests (Playwright drives /usr/bin/chromium itself, so no driver);
# - a font: Chromium draws the pages and the screenshots of the browser tests with it (the
#   report's charts need none: matplotlib carries its own).
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/sbin/nginx ] || need+=(nginx)
[ -x /usr/bin/chromium ] || need+=(chromium)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi "dejavu\|liberation" || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
