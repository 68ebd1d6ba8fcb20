#!/usr/bin/env bash
# Makes sure the servers the integration tests use answer on loopback: PostgreSQL (trust auth,
# database `test`), MariaDB (root, empty password, database `test`) and Redis (redis-server and
# redis-cli binaries too, for the cluster tests). Starts them if installed but stopped; installs
# them with apt-get if missing (needs root); the same for headless Chromium, which the sample's
# browser test drives. ZooKeeper needs nothing: tests run it in-process.
set -euo pipefail

PG_HOST=127.0.0.1; PG_PORT=5432
MY_HOST=127.0.0.1; MY_PORT=3306
REDIS_HOST=127.0.0.1; REDIS_PORT=6379

log() { echo "[ensure-services] $*"; }
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_for() { for _ in $(seq 1 60); do listening "$1" "$2" && return 0; sleep 1; done; return 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get -o DPkg::Lock::Timeout=600 update -qq; apt_updated=1; fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if ! listening $PG_HOST $PG_PORT; then
    if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql; fi
    version=$(ls /etc/postgresql | sort -V | tail -1)
    hba=/etc/postgresql/$version/main/pg_hba.conf
    if ! grep -q "distlock-tests" "$hba"; then
      # Local test server only: trust loopback connections, like the machines CI runs on.
      as_root sed -i '1i # distlock-tests\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$hba"
    fi
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_for $PG_HOST $PG_PORT || { log "PostgreSQL did not start"; exit 1; }
  fi
  if ! psql -h $PG_HOST -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
    psql -h $PG_HOST -U postgres -c 'CREATE DATABASE test' >/dev/null 2>&1 || as_root su postgres -c "createdb test" || true
  fi
  log "PostgreSQL ready on $PG_HOST:$PG_PORT"
}

ensure_mariadb() {
  if ! listening $MY_HOST $MY_PORT; then
    if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then apt_install mariadb-server; fi
    log "starting MariaDB"
    as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    wait_for $MY_HOST $MY_PORT || { log "MariaDB did not start"; exit 1; }
  fi
  if ! mariadb -h $MY_HOST -P $MY_PORT -u root -e 'select 1' test >/dev/null 2>&1; then
    # Fresh Debian install: root authenticates by unix socket; give it an empty password for tests.
    as_root mariadb -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); CREATE DATABASE IF NOT EXISTS test; FLUSH PRIVILEGES;" || true
  fi
  log "MariaDB ready on $MY_HOST:$MY_PORT"
}

ensure_redis() {
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then apt_install redis-server redis-tools; fi
  if ! listening $REDIS_HOST $REDIS_PORT; then
    log "starting Redis"
    as_root mkdir -p /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port $REDIS_PORT --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for $REDIS_HOST $REDIS_PORT || { log "Redis did not start"; exit 1; }
  fi
  log "Redis ready on $REDIS_HOST:$REDIS_PORT"
}

ensure_redis_sentinel() {
  # The Sentinel failover test starts its own redis-sentinel processes on free loopback ports.
  if ! command -v redis-sentinel >/dev/null; then apt_install redis-sentinel; fi
  log "redis-sentinel ready: $(command -v redis-sentinel)"
}

ensure_browser() {
  # The sample app's status-page test drives Debian's headless Chromium.
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt_install chromium chromium-driver
  fi
  log "Chromium ready: $(command -v chromium)"
}

# etcd: only the binary; the tests start their own members on free loopback ports.
ensure_etcd() {
  if ! command -v etcd >/dev/null; then apt_install etcd-server; fi
  log "etcd binary ready ($(etcd --version | head -1))"
}

ensure_dynalite() {
  # DynamoDB API for the dynamodb provider's tests: the open-source dynalite (in memory), installed
  # with npm into a cache outside the tree. Amazon's DynamoDB Local is not used (vendor licence).
  local dir="${DISTLOCK_DYNALITE_DIR:-$HOME/.cache/distlock/dynalite}"
  if ! listening 127.0.0.1 8000; then
    if [ ! -f "$dir/node_modules/dynalite/cli.js" ]; then
      command -v npm >/dev/null || apt_install nodejs npm
      log "installing dynalite@4 into $dir"
      mkdir -p "$dir" && (cd "$dir" && npm install --no-audit --no-fund --silent dynalite@4 >/dev/null)
    fi
    log "starting dynalite"
    (cd "$dir" && nohup node node_modules/dynalite/cli.js --host 127.0.0.1 --port 8000 >dynalite.log 2>&1 &)
    wait_for 127.0.0.1 8000 || { log "dynalite did not start"; exit 1; }
  fi
  log "dynalite ready on 127.0.0.1:8000"
}

ensure_postgres
ensure_mariadb
ensure_redis
ensure_redis_sentinel
ensure_browser
ensure_etcd
ensure_dynalite
