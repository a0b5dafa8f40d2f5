#!/usr/bin/env bash
# Sourced by ./starling and ./run-tests: exports JAVA_HOME pointing at a JDK >= 21.
# Order: JAVA_HOME when it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm, else a clear error.

starling_java_major() {
  # Prints the feature version of the JDK at $1, or nothing when $1 is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

starling_find_jdk() {
  local major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(starling_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then return 0; fi
  fi
  local best="" best_major=0 dir
  for dir in /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/; do
    [ -d "$dir" ] || continue
    dir=${dir%/}
    [ -L "$dir" ] && continue
    major=$(starling_java_major "$dir")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$dir best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "starling: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing >= 21 under /usr/lib/jvm)." >&2
    echo "starling: install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME to a JDK >= 21." >&2
    return 1
  fi
  export JAVA_HOME=$best
}

starling_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.9's bundled Guice warns about sun.misc.Unsafe on JDK 24+; that flag only exists there.
if [ "$(starling_java_major "$JAVA_HOME")" -ge 24 ]; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
fi
