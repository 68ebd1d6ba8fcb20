#!/usr/bin/env bash
# Scrapes two sample-app instances (embedded default: a shared H2 file database, jdbc-table locks)
# with Debian's Prometheus for a few minutes, drives some charges through both, and saves a
# screenshot of Prometheus's graph page to docs/images/prometheus-graph.png.
# Needs root for apt (installs prometheus and chromium when missing). Takes about 3 minutes.
# Ports: instances 18081/18082, Prometheus 19090 (override with PROMETHEUS_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
prometheus_port=${PROMETHEUS_PORT:-19090}
scrape_seconds=${SCRAPE_SECONDS:-120}

install_if_missing() {
	command -v "$1" >/dev/null 2>&1 && return
	echo "[prometheus-screenshot] installing $2"
	apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "$2" >/dev/null
}
install_if_missing prometheus prometheus
install_if_missing chromium chromium

./mvnw -B -q -DskipTests package -pl sample-app -am
work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

for port in 18081 18082; do
	(cd sample-app && exec java -jar target/sample-app-0.1.0-SNAPSHOT.jar --server.port="$port" \
		--distlock.instance-id="instance-$port") >"$work/sample-$port.log" 2>&1 &
	pids+=($!)
done

cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: distlock-sample
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ['127.0.0.1:18081', '127.0.0.1:18082']
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
	--web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

for port in 18081 18082; do
	for _ in $(seq 1 120); do
		curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break
		sleep 1
	done
done
echo "[prometheus-screenshot] both instances up; scraping for ${scrape_seconds}s while charging orders"
end=$((SECONDS + scrape_seconds))
order=1
while [ $SECONDS -lt $end ]; do
	# The same orders through both instances: one charge each, the rest refused or waiting.
	curl -fs -m 10 -X POST "http://127.0.0.1:18081/orders/$order/charge" >/dev/null 2>&1 &
	first=$!
	curl -fs -m 10 -X POST "http://127.0.0.1:18082/orders/$order/charge" >/dev/null 2>&1 &
	second=$!
	wait "$first" "$second" 2>/dev/null || true
	order=$((order + 1))
	sleep 0.2
done

expr='sum by (instance, outcome) (rate(distlock_acquire_seconds_count[30s]))'
encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$expr")
url="http://127.0.0.1:$prometheus_port/graph?g0.expr=$encoded&g0.tab=0&g0.range_input=5m"
mkdir -p docs/images
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,900 \
	--virtual-time-budget=15000 --screenshot="$root/docs/images/prometheus-graph.png" "$url" >/dev/null 2>&1
echo "[prometheus-screenshot] saved docs/images/prometheus-graph.png ($url)"
