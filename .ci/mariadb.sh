#!/usr/bin/env bash
# MariaDB for tests and benchmarks: a private server on 127.0.0.1:3306 with its data in
# .workbench/servers/mariadb, user workbench/workbench with all privileges.
#
#   bash .ci/mariadb.sh install   # apt-get install mariadb-server mariadb-client if mariadbd is missing
#   bash .ci/mariadb.sh start     # initialise the data folder if needed, start, create the user (reuses a running one)
#   bash .ci/mariadb.sh stop
#   bash .ci/mariadb.sh status
#
# MARIADB_PORT and MARIADB_DIR move it elsewhere (e.g. a second server for trying this script);
# MARIADB_EXTRA_CONFIG holds lines appended to its [mariadbd] section (e.g. TLS settings for a test).
# MARIADB_CONFIG=stock writes Debian's default configuration instead of the benchmark settings below
# (128 MiB buffer pool, durable commits), with temporary files in MARIADB_DIR: what deno task bench calls
# "stock" (e.g. MARIADB_CONFIG=stock MARIADB_PORT=3407 MARIADB_DIR=.workbench/servers/stock).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_DIR="${MARIADB_DIR:-${ROOT_DIR}/.workbench/servers/mariadb}"
DATA_DIR="${SERVER_DIR}/data"
CONFIG_FILE="${SERVER_DIR}/my.cnf"
SOCKET="${SERVER_DIR}/mariadb.sock"
PID_FILE="${SERVER_DIR}/mariadb.pid"
LOG_FILE="${SERVER_DIR}/mariadb.log"
PORT="${MARIADB_PORT:-3306}"
DB_USER=workbench
DB_PASSWORD=workbench
START_TIMEOUT_SECONDS=60

# The server binaries live in /usr/sbin, which is not on every PATH.
export PATH="${PATH}:/usr/sbin:/sbin"

log() { echo "[mariadb] $*"; }
die() {
  echo "[mariadb] error: $*" >&2
  exit 1
}

# Runs SQL as the server's root user over our socket (root authenticates by unix socket).
root_sql() { mariadb --no-defaults --protocol=socket --socket="${SOCKET}" -uroot -e "$1"; }

is_our_server_up() {
  [[ -S "${SOCKET}" ]] && mariadb-admin --no-defaults --socket="${SOCKET}" -uroot ping >/dev/null 2>&1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null; }

workbench_user_works() {
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"${PORT}" -u"${DB_USER}" -p"${DB_PASSWORD}" \
    -e "SELECT 1" >/dev/null 2>&1
}

install() {
  if command -v mariadbd >/dev/null 2>&1; then
    log "already installed: $(mariadbd --version)"
    return
  fi
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt run (e.g. unattended upgrades) instead of failing on its lock.
  local apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -y -q)
  if ! apt-cache show mariadb-server >/dev/null 2>&1; then
    log "apt-get update"
    "${apt[@]}" update
  fi
  log "apt-get install mariadb-server mariadb-client"
  "${apt[@]}" install --no-install-recommends mariadb-server mariadb-client
  # On a machine with an init system the package starts its own server on 3306; ours needs the port.
  if [[ -S /run/mysqld/mysqld.sock ]]; then
    log "stopping the distribution's MariaDB service so the workbench server can use port ${PORT}"
    "${sudo[@]}" service mariadb stop || true
  fi
  log "installed: $(mariadbd --version)"
}

write_config() {
  # Where this server's files go, whichever configuration: its own temporary folder too, since a job that
  # cleans /tmp must not delete a query's spilled temporary table under it ("Error on delete of
  # '/tmp/#sql-temptable-....MAI'").
  mkdir -p "${SERVER_DIR}/tmp"
  cat >"${CONFIG_FILE}" <<EOF
[mariadbd]
datadir=${DATA_DIR}
socket=${SOCKET}
pid-file=${PID_FILE}
log-error=${LOG_FILE}
tmpdir=${SERVER_DIR}/tmp
port=${PORT}
bind-address=127.0.0.1
EOF
  if [[ "${MARIADB_CONFIG:-}" == "stock" ]]; then
    # The rest of /etc/mysql/mariadb.conf.d/50-server.cnf of Debian 12.
    cat >>"${CONFIG_FILE}" <<EOF
expire_logs_days=10
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
EOF
    return
  fi
  cat >>"${CONFIG_FILE}" <<EOF
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_bin
default-time-zone=+00:00
local_infile=1
max_allowed_packet=64M
# Benchmark settings for a small machine: durability traded for speed, this is scratch data.
innodb_buffer_pool_size=1G
innodb_log_file_size=512M
innodb_log_buffer_size=64M
innodb_flush_log_at_trx_commit=2
innodb_doublewrite=0
max_connections=200
${MARIADB_EXTRA_CONFIG:-}
EOF
}

initialise_data_dir() {
  if [[ -d "${DATA_DIR}/mysql" ]]; then
    return
  fi
  log "initialising ${DATA_DIR}"
  mkdir -p "${DATA_DIR}"
  mariadb-install-db --defaults-file="${CONFIG_FILE}" "${user_args[@]}" \
    --auth-root-authentication-method=socket --skip-test-db >"${SERVER_DIR}/install-db.log" 2>&1 ||
    die "mariadb-install-db failed, see ${SERVER_DIR}/install-db.log"
}

launch_server() {
  log "starting mariadbd on 127.0.0.1:${PORT} (log: ${LOG_FILE})"
  # setsid: the server outlives this script and the CI step that ran it.
  setsid mariadbd --defaults-file="${CONFIG_FILE}" "${user_args[@]}" </dev/null >>"${LOG_FILE}" 2>&1 &
  local pid=$!
  local waited=0
  until is_our_server_up; do
    if ! kill -0 "${pid}" 2>/dev/null; then
      tail -n 20 "${LOG_FILE}" >&2 || true
      die "mariadbd exited during start-up, see ${LOG_FILE}"
    fi
    if ((waited >= START_TIMEOUT_SECONDS * 2)); then
      die "mariadbd did not answer within ${START_TIMEOUT_SECONDS}s, see ${LOG_FILE}"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

create_user() {
  root_sql "
    DROP USER IF EXISTS ''@'localhost';
    CREATE USER IF NOT EXISTS '${DB_USER}'@'%' IDENTIFIED BY '${DB_PASSWORD}';
    CREATE USER IF NOT EXISTS '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}';
    GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'%';
    GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'localhost';
    FLUSH PRIVILEGES;"
}

start() {
  command -v mariadbd >/dev/null 2>&1 || die "mariadbd is not installed: run bash .ci/mariadb.sh install"
  user_args=()
  # mariadbd refuses to run as root unless told to.
  if [[ "$(id -u)" -eq 0 ]]; then user_args=(--user=root); fi

  if is_our_server_up; then
    log "already running (socket ${SOCKET})"
  elif port_in_use; then
    if workbench_user_works; then
      log "reusing the server already listening on 127.0.0.1:${PORT}"
      return
    fi
    die "port ${PORT} is taken by a server where ${DB_USER}/${DB_PASSWORD} cannot log in; stop it first"
  else
    write_config
    initialise_data_dir
    launch_server
  fi
  create_user
  workbench_user_works || die "user ${DB_USER} cannot log in over TCP, see ${LOG_FILE}"
  log "ready: mysql://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${PORT}/"
}

stop() {
  if ! is_our_server_up; then
    log "not running"
    return
  fi
  log "stopping"
  mariadb-admin --no-defaults --socket="${SOCKET}" -uroot shutdown
  log "stopped"
}

status() {
  if is_our_server_up; then
    log "running: $(mariadb-admin --no-defaults --socket="${SOCKET}" -uroot version | grep -i uptime)"
  else
    log "not running"
    return 1
  fi
}

main() {
  case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: bash .ci/mariadb.sh install|start|stop|status" ;;
  esac
}

main "$@"
