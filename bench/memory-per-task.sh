#!/usr/bin/env bash
# Memory per finished task in the memory store (issue: millions of finished tasks held in memory).
#   bench/memory-per-task.sh [N [keep|drop-read]]   (default 1000000 keep)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/find-jdk.sh"
cd "$root"
./mvnw -B -q -ntp -DskipTests -pl starling-cli -am package >&2
"$JAVA_HOME/bin/java" -Xmx8g -cp "starling-cli/target/starling-cli.jar:starling-cli/target/lib/*" bench/MemoryPerTask.java "${1:-1000000}" "${2:-keep}"
