#!/usr/bin/env bash
# Make sure Debian's chromium is there for the browser tests; install it when we can.
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
  echo "Could not install chromium: the browser tests will be skipped." >&2
  exit 0
fi
echo "chromium is not installed and cannot be installed by this user:" >&2
echo "  the browser tests will be skipped. Install it with: sudo apt-get install chromium" >&2
exit 0
