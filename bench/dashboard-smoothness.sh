#!/usr/bin/env bash
# Is the dashboard smooth with 448 workers and 100,000 tasks? Fills a network of that size on Redis, serves the
# dashboard, opens the network's page in headless Chromium and prints how long the page takes to show everything,
# how long one redraw takes, and the page's memory.
#   bench/dashboard-smoothness.sh [--redis redis://127.0.0.1:6379] [--tasks 100000]
# Needs redis-server (started here when --redis is not given), chromium and chromium-driver.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
redis="" tasks=100000 port=8299
while [ $# -gt 0 ]; do
  case "$1" in
    --redis) redis=$2; shift 2 ;;
    --tasks) tasks=$2; shift 2 ;;
    *) echo "usage: $0 [--redis URL] [--tasks N]" >&2; exit 2 ;;
  esac
done
source "$root/scripts/find-jdk.sh"
cd "$root"
./mvnw -B -q -ntp -DskipTests -pl starling-cli -am install >&2
cp=$(mktemp)
./mvnw -B -q -ntp -pl starling-cli dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >&2
classpath="starling-cli/target/classes:$(cat "$cp")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -f "$cp"; }
trap cleanup EXIT
if [ -z "$redis" ]; then
  redis-server --port 6388 --save '' --appendonly no >/dev/null & pids+=($!)
  redis=redis://127.0.0.1:6388
  sleep 0.5
fi
"$JAVA_HOME/bin/java" -cp "$classpath" bench/dashboard/BigNetwork.java "$redis" "$tasks" 600000 & pids+=($!)
"$JAVA_HOME/bin/java" -cp "$classpath" dev.starling.cli.Main dashboard --store "$redis" --port $port >/dev/null & pids+=($!)
finished=$(( tasks - (tasks + 91) / 97 ))
until [ "$(curl -s "http://127.0.0.1:$port/api/networks/big-448" | grep -o "\"FINISHED\":$finished" || true)" ]; do sleep 1; done
"$JAVA_HOME/bin/java" -cp "$classpath" bench/dashboard/PageTiming.java "http://127.0.0.1:$port/networks/big-448" "$finished" 2>/dev/null
