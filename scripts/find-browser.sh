# Sourced by run-tests: makes sure the dashboard's browser tests have Debian's chromium and chromium-driver.
# Installs them with apt-get when they are missing and this runs as root; otherwise says why the browser tests
# will be skipped (they report it too). Never fails the build by itself.
browser_ready() { [ -x "${STARLING_CHROMIUM:-/usr/bin/chromium}" ] && [ -x "${STARLING_CHROMEDRIVER:-/usr/bin/chromedriver}" ]; }
if ! browser_ready; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "run-tests: installing chromium and chromium-driver for the dashboard's browser tests ..." >&2
    if ! { timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq \
        --no-install-recommends chromium chromium-driver; } >/tmp/starling-browser-install.log 2>&1; then
      echo "run-tests: could not install them (see /tmp/starling-browser-install.log); the browser tests will be skipped" >&2
    fi
  else
    echo "run-tests: no chromium and chromium-driver, and not root to install them; the browser tests will be skipped" >&2
  fi
fi
