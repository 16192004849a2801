#!/usr/bin/env bash
# Make sure Debian's chromium is there for the browser tests (and poppler-utils' pdftotext and
# pdftoppm, which read the report's PDF back, and nginx for the proxy test); install them when we can.
set -u
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)  # the proxy test: several servers behind nginx
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${need[*]} for the browser and report tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null && exit 0
  echo "Could not install ${need[*]}: the tests that need them will be skipped." >&2
  exit 0
fi
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  echo "pdftotext is not installed: the report's PDF tests will be skipped. Install it with: sudo apt-get install poppler-utils" >&2
  exit 0
fi
echo "chromium is not installed and cannot be installed by this user:" >&2
echo "  the browser tests will be skipped. Install it with: sudo apt-get install chromium" >&2
exit 0
