#!/usr/bin/env bash
# A chaos soak: tasks pushed all along into a Redis network served by 4 worker processes of 2 workers each, while
# worker processes are killed with SIGKILL (the nanny replaces them), every client connection is killed, Redis is
# paused with SIGSTOP and crashed and restarted from its append-only file, in turn, for --minutes minutes; then it
# checks that every task finished exactly once (ChaosTest, which CI runs with 4,000 tasks).
#   bench/chaos.sh [--minutes 10]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
minutes=10
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    *) echo "usage: $0 [--minutes N]" >&2; exit 2 ;;
  esac
done
source "$root/scripts/find-jdk.sh"
cd "$root"
./mvnw -B -q -ntp -DskipTests -pl starling-cli -am install >&2
log=$(mktemp)
if ./mvnw -B -ntp -pl starling-cli test -Dtest=ChaosTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dchaos.minutes="$minutes" >"$log" 2>&1; then
  grep "^chaos:" "$log"
  echo "chaos: passed (full log: $log)"
else
  grep -E "^chaos:|FAIL|Expect|lost|twice" "$log" | head -20 >&2 || true
  echo "chaos: FAILED (full log: $log)" >&2
  exit 1
fi
