#!/usr/bin/env bash
# The test command: make sure the test servers answer, then build and run every test on Java 17
# (the baseline), then every test again on Java 25 (the Java 21+ ones too: virtual threads, the
# pinning check). The integration tests mostly wait on leases and ticks, so modules build two at a
# time (-T 2) with two test JVMs each (distlock.test.forks). DISTLOCK_JAVA25_LEG=scoped runs on Java 25
# only what needs Java 21+ and the AOT-processed sample app. Extra arguments go to both runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh

# A JDK of the given feature version: $DISTLOCK_JDK<version> if set, else one under /usr/lib/jvm.
find_jdk() {
  local version=$1 override="DISTLOCK_JDK$1" candidate
  if [ -n "${!override:-}" ]; then echo "${!override}"; return 0; fi
  for candidate in /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && "$candidate/bin/java" -version 2>&1 | grep -q "version \"$version[.\"]"; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

leg() {
  local version=$1; shift
  local jdk
  if ! jdk=$(find_jdk "$version"); then
    echo "!!! ================================================================" >&2
    echo "!!! No Java $version found (set DISTLOCK_JDK$version): the Java $version leg is SKIPPED" >&2
    echo "!!! ================================================================" >&2
    return 0
  fi
  echo "[test] Java $version leg on $jdk"
  local start=$SECONDS
  JAVA_HOME=$jdk ./mvnw -B -T 2 verify -Ddistlock.test.forks=2 "$@"
  echo "[test] Java $version leg passed in $((SECONDS - start)) s"
}

baseline() {
  if find_jdk 17 >/dev/null; then leg 17 "$@"; else
    echo "[test] no Java 17 under /usr/lib/jvm: the baseline leg runs on $(java -version 2>&1 | head -1)"
    ./mvnw -B -T 2 verify -Ddistlock.test.forks=2 "$@"
  fi
}

# What only Java 21+ can run, plus the AOT-processed app; the JDK-agnostic rest ran above.
JAVA25_SCOPE=(-pl distlock-autoconfigure,sample-app -am -Dtest='VirtualThread*' -Dit.test=AotProcessedSampleIT
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false)

# The fault-injection suite (distlock-it, short mode) runs once, on the baseline: its worker JVMs and
# servers are the same on either JDK, and the budget of the test command is 20 minutes.
baseline "$@"
if [ "${DISTLOCK_JAVA25_LEG:-full}" = scoped ]; then leg 25 "${JAVA25_SCOPE[@]}" "$@"; else leg 25 -pl '!distlock-it' "$@"; fi
