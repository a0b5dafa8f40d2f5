# Sourced by run-tests: makes sure the tests have the servers and tools they drive: Debian's redis-server (with
# TLS, for the TLS tests; without it the Redis tests fall back to a bundled binary and the TLS tests are skipped),
# chromium with chromium-driver (for the dashboard's browser tests), and faketime (for the clock-skew test).
# Installs what is missing with apt-get when this runs as root; otherwise says which tests will be skipped. Never
# fails the build by itself.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x "${STARLING_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -x "${STARLING_CHROMEDRIVER:-/usr/bin/chromedriver}" ] || missing+=(chromium-driver)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "run-tests: installing ${missing[*]} for the tests ..." >&2
    if ! { timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq \
        --no-install-recommends "${missing[@]}"; } >/tmp/starling-test-tools.log 2>&1; then
      echo "run-tests: could not install them (see /tmp/starling-test-tools.log); the tests that need them will be skipped" >&2
    fi
  else
    echo "run-tests: ${missing[*]} missing and not root to install them; the tests that need them will be skipped" >&2
  fi
fi
