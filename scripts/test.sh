#!/usr/bin/env bash
# The test command: make sure the test servers answer, then build and run every test on Java 17
# (the baseline), then on Java 25 the tests that need Java 21+ to run at all (virtual threads, the
# pinning check) and the AOT-processed sample app. DISTLOCK_JAVA25_LEG=full runs the whole suite on
# Java 25 too (about 15 more minutes on 2 cores, over CI's budget). Extra arguments go to both runs.
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
  JAVA_HOME=$jdk ./mvnw -B verify "$@"
  echo "[test] Java $version leg passed in $((SECONDS - start)) s"
}

baseline() {
  if find_jdk 17 >/dev/null; then leg 17 "$@"; else
    echo "[test] no Java 17 under /usr/lib/jvm: the baseline leg runs on $(java -version 2>&1 | head -1)"
    ./mvnw -B verify "$@"
  fi
}

# What only Java 21+ can run, plus the AOT-processed app; the JDK-agnostic rest ran above.
JAVA25_SCOPE=(-pl distlock-autoconfigure,sample-app -am -Dtest='VirtualThread*' -Dit.test=AotProcessedSampleIT
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false)

baseline "$@"
if [ "${DISTLOCK_JAVA25_LEG:-scoped}" = full ]; then leg 25 "$@"; else leg 25 "${JAVA25_SCOPE[@]}" "$@"; fi
