#!/usr/bin/env bash
# The test command: make sure the test servers answer, then build and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
exec ./mvnw -B verify "$@"
