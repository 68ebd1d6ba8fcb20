#!/usr/bin/env bash
# The fault-injection suite's long mode: every provider (or those named) for DURATION each, faults
# injected in cycles (holder SIGKILL, holder SIGSTOP past its lease, backend restart, backend
# SIGSTOP) under 3 worker JVMs x 8 threads. The table lands in distlock-it/target/fault-report.md.
#   scripts/fault-suite.sh                 # 10 minutes per provider, every provider
#   scripts/fault-suite.sh 2m redis,mysql  # 2 minutes each, two providers
# The test command runs the short mode (each fault once per provider).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10m}
providers=${2:-all}
bash scripts/ensure-services.sh
./mvnw -B -q install -DskipTests
./mvnw -B verify -pl distlock-it -Ddistlock.it.mode=long -Ddistlock.it.duration="$duration" \
  -Ddistlock.it.providers="$providers"
echo "[fault-suite] report: distlock-it/target/fault-report.md"
