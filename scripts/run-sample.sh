#!/usr/bin/env bash
# Runs the sample app on its embedded default (an H2 file database in sample-app/data): no server
# needed. Pass extra arguments to Spring Boot, e.g. --server.port=8081 for a second instance, or
# --spring.profiles.active=postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package -pl sample-app -am
cd sample-app
exec java -jar target/sample-app-0.1.0-SNAPSHOT.jar "$@"
