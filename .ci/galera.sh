#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on 127.0.0.1 for tests: SQL on 3311-3313, group communication on
# 4567-4569, IST on 4577-4579, rsync SST on 4587-4589, data in .workbench/servers/galera/nodeN (or
# /var/tmp/workbench-galera when user mysql cannot enter the checkout), nodes run as user mysql (the rsync SST
# refuses to run as root), user workbench/workbench with all privileges.
#
#   bash .ci/galera.sh install        # apt-get install mariadb-server galera-4 rsync if missing
#   bash .ci/galera.sh start          # bootstrap node 1 (or join a running node), then nodes 2 and 3
#   bash .ci/galera.sh start N        # start (rejoin) node N only
#   bash .ci/galera.sh stop [N]       # clean shutdown of all nodes (3, 2, then 1) or of node N
#   bash .ci/galera.sh kill N         # kill -9 node N (failover tests); `start N` brings it back
#   bash .ci/galera.sh status         # each node's state and the cluster size; exit 1 unless all 3 are synced
#   bash .ci/galera.sh strict on|off  # wsrep_mode=REQUIRED_PRIMARY_KEY and wsrep_max_ws_rows=50000, or
#                                     # Galera's defaults, on every running node (and in their config files)
#   bash .ci/galera.sh url            # prints the three-host URL, e.g. for TEST_GALERA_URL
#
# GALERA_DIR moves the data; GALERA_SQL_PORT (3311), GALERA_GCOMM_PORT (4567), GALERA_IST_PORT (4577) and
# GALERA_SST_PORT (4587) are node 1's ports, nodes 2 and 3 use the next ones. GALERA_STRICT=1 starts the
# nodes strict (as `strict on`); GALERA_MAX_WS_ROWS (50000) and GALERA_MAX_WS_SIZE (Galera's 2 GiB) set the
# strict limits.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_AS=mysql
CLUSTER_DIR="${GALERA_DIR:-${ROOT_DIR}/.workbench/servers/galera}"
# The nodes run as ${RUN_AS}: a checkout it cannot enter (e.g. under /root) gets the data in /var/tmp instead.
if [[ -z "${GALERA_DIR:-}" && "$(id -u)" -eq 0 ]] && id "${RUN_AS}" >/dev/null 2>&1 &&
  ! runuser -u "${RUN_AS}" -- test -x "${ROOT_DIR}" 2>/dev/null; then
  CLUSTER_DIR=/var/tmp/workbench-galera
fi
SQL_PORT="${GALERA_SQL_PORT:-3311}"
GCOMM_PORT="${GALERA_GCOMM_PORT:-4567}"
IST_PORT="${GALERA_IST_PORT:-4577}"
SST_PORT="${GALERA_SST_PORT:-4587}"
MAX_WS_ROWS="${GALERA_MAX_WS_ROWS:-50000}"
MAX_WS_SIZE="${GALERA_MAX_WS_SIZE:-2147483647}"
PROVIDER=/usr/lib/galera/libgalera_smm.so
NODES=(1 2 3)
DB_USER=workbench
DB_PASSWORD=workbench
# A joiner copies the donor's data by rsync first: give it longer than a single server.
START_TIMEOUT_SECONDS=90
STOP_TIMEOUT_SECONDS=60

export PATH="${PATH}:/usr/sbin:/sbin"

log() { echo "[galera] $*"; }
die() {
  echo "[galera] error: $*" >&2
  exit 1
}

node_dir() { echo "${CLUSTER_DIR}/node$1"; }
node_socket() { echo "$(node_dir "$1")/mariadb.sock"; }
node_pid_file() { echo "$(node_dir "$1")/mariadb.pid"; }
node_log() { echo "$(node_dir "$1")/mariadb.log"; }
node_config() { echo "$(node_dir "$1")/my.cnf"; }
sql_port() { echo $((SQL_PORT + $1 - 1)); }
gcomm_port() { echo $((GCOMM_PORT + $1 - 1)); }

# SQL as root over node N's socket (root authenticates by unix socket); -N -B: bare values.
root_sql() { mariadb --no-defaults --protocol=socket --socket="$(node_socket "$1")" -uroot -N -B -e "$2"; }

node_answers() {
  [[ -S "$(node_socket "$1")" ]] &&
    mariadb-admin --no-defaults --socket="$(node_socket "$1")" -uroot ping >/dev/null 2>&1
}

# The node's wsrep state: Synced, Donor/Desynced, Joining, Initialized... or empty when it does not answer.
node_state() {
  node_answers "$1" || return 0
  root_sql "$1" "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2
}

node_pid() {
  local pid_file
  pid_file="$(node_pid_file "$1")"
  [[ -s "${pid_file}" ]] || return 1
  local pid
  pid="$(cat "${pid_file}")"
  kill -0 "${pid}" 2>/dev/null || return 1
  echo "${pid}"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || missing+=(mariadb-server mariadb-client)
  [[ -f "${PROVIDER}" ]] || missing+=(galera-4)
  command -v rsync >/dev/null 2>&1 || missing+=(rsync)
  if ((${#missing[@]} == 0)); then
    log "already installed: $(mariadbd --version), ${PROVIDER}, $(rsync --version | head -n 1)"
    return
  fi
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  local apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -y -q)
  if ! apt-cache show galera-4 >/dev/null 2>&1; then
    log "apt-get update"
    "${apt[@]}" update
  fi
  log "apt-get install ${missing[*]}"
  "${apt[@]}" install --no-install-recommends "${missing[@]}"
  if [[ -S /run/mysqld/mysqld.sock ]]; then
    log "stopping the distribution's MariaDB service"
    "${sudo[@]}" service mariadb stop || true
  fi
}

strict_enabled() {
  [[ -f "${CLUSTER_DIR}/strict" ]] || [[ "${GALERA_STRICT:-0}" == "1" ]]
}

strict_settings() {
  if strict_enabled; then
    cat <<EOF
# Strict, as many production clusters: every table needs a primary key, write sets are bounded.
wsrep_mode=REQUIRED_PRIMARY_KEY
wsrep_max_ws_rows=${MAX_WS_ROWS}
wsrep_max_ws_size=${MAX_WS_SIZE}
EOF
  fi
}

write_config() {
  local n=$1 dir
  dir="$(node_dir "${n}")"
  mkdir -p "${dir}/data"
  local peers=() m
  for m in "${NODES[@]}"; do peers+=("127.0.0.1:$(gcomm_port "${m}")"); done
  local cluster_address
  cluster_address="gcomm://$(
    IFS=,
    echo "${peers[*]}"
  )"
  cat >"$(node_config "${n}")" <<EOF
[mariadbd]
datadir=${dir}/data
socket=$(node_socket "${n}")
pid-file=$(node_pid_file "${n}")
log-error=$(node_log "${n}")
port=$(sql_port "${n}")
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_bin
default-time-zone=+00:00
local_infile=1
max_allowed_packet=64M
max_connections=100
# Small: three of these share the machine with the tests.
innodb_buffer_pool_size=256M
innodb_log_file_size=128M
innodb_flush_log_at_trx_commit=2
innodb_doublewrite=0
# What Galera needs.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=${PROVIDER}
wsrep_cluster_name=workbench_galera
wsrep_cluster_address=${cluster_address}
wsrep_node_name=node${n}
wsrep_node_address=127.0.0.1:$(gcomm_port "${n}")
wsrep_node_incoming_address=127.0.0.1:$(sql_port "${n}")
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((SST_PORT + n - 1))
wsrep_provider_options="base_host=127.0.0.1;base_port=$(gcomm_port "${n}");gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "${n}");ist.recv_addr=127.0.0.1:$((IST_PORT + n - 1));gcache.size=256M"
$(strict_settings)
EOF
}

# Another node of the cluster that is up and synced (its number), if any.
synced_peer() {
  local m
  for m in "${NODES[@]}"; do
    [[ "$m" == "$1" ]] && continue
    if [[ "$(node_state "${m}")" == "Synced" ]]; then
      echo "${m}"
      return 0
    fi
  done
  return 1
}

initialise_data_dir() {
  local n=$1 dir
  dir="$(node_dir "${n}")"
  [[ -d "${dir}/data/mysql" ]] && return
  log "node ${n}: initialising ${dir}/data"
  mariadb-install-db --defaults-file="$(node_config "${n}")" --user="${RUN_AS}" \
    --auth-root-authentication-method=socket --skip-test-db >"${dir}/install-db.log" 2>&1 ||
    die "mariadb-install-db failed for node ${n}, see ${dir}/install-db.log"
}

# Waits until node N answers and reports Synced; fails with the log's tail if it exits or takes too long.
wait_synced() {
  local n=$1 pid=$2 waited=0 state=""
  while true; do
    state="$(node_state "${n}")"
    [[ "${state}" == "Synced" ]] && return 0
    if ! kill -0 "${pid}" 2>/dev/null; then
      tail -n 25 "$(node_log "${n}")" >&2 || true
      die "node ${n} exited during start-up, see $(node_log "${n}")"
    fi
    if ((waited >= START_TIMEOUT_SECONDS * 2)); then
      tail -n 25 "$(node_log "${n}")" >&2 || true
      die "node ${n} was not Synced within ${START_TIMEOUT_SECONDS}s (state: ${state:-not answering}), see $(node_log "${n}")"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

start_node() {
  local n=$1
  if [[ "$(node_state "${n}")" == "Synced" ]]; then
    log "node ${n}: already running on 127.0.0.1:$(sql_port "${n}")"
    return
  fi
  if node_pid "${n}" >/dev/null; then
    die "node ${n} runs (pid $(node_pid "${n}")) but is not Synced: bash .ci/galera.sh stop ${n} first"
  fi
  local port
  for port in "$(sql_port "${n}")" "$(gcomm_port "${n}")"; do
    if port_in_use "${port}"; then die "port ${port} (node ${n}) is taken by another program"; fi
  done
  write_config "${n}"
  local bootstrap=()
  if ! synced_peer "${n}" >/dev/null; then
    # No running peer: this node founds the cluster. It must hold data; a joiner's empty datadir would not do.
    if [[ "${n}" != "1" && ! -d "$(node_dir "${n}")/data/mysql" ]]; then
      die "no running node to join: start the cluster with bash .ci/galera.sh start"
    fi
    initialise_data_dir "${n}"
    local grastate
    grastate="$(node_dir "${n}")/data/grastate.dat"
    # After a full stop (or a kill) Galera refuses to bootstrap from a node it did not mark safe; in this
    # test cluster the founding node is trusted.
    if [[ -f "${grastate}" ]]; then sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "${grastate}"; fi
    bootstrap=(--wsrep-new-cluster)
    log "node ${n}: bootstrapping a new cluster on 127.0.0.1:$(sql_port "${n}")"
  else
    log "node ${n}: joining the cluster on 127.0.0.1:$(sql_port "${n}") (state transfer by IST or rsync)"
  fi
  chown -R "${RUN_AS}:${RUN_AS}" "$(node_dir "${n}")"
  # setsid: the node outlives this script and the CI step that ran it.
  setsid mariadbd --defaults-file="$(node_config "${n}")" --user="${RUN_AS}" "${bootstrap[@]}" \
    </dev/null >>"$(node_log "${n}")" 2>&1 &
  wait_synced "${n}" $!
  log "node ${n}: synced"
}

create_user() {
  root_sql "$1" "
    DROP USER IF EXISTS ''@'localhost';
    CREATE USER IF NOT EXISTS '${DB_USER}'@'%' IDENTIFIED BY '${DB_PASSWORD}';
    CREATE USER IF NOT EXISTS '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}';
    GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'%';
    GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'localhost';"
}

cluster_size() { root_sql "$1" "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2; }

start() {
  command -v mariadbd >/dev/null 2>&1 || die "mariadbd is not installed: run bash .ci/galera.sh install"
  [[ -f "${PROVIDER}" ]] || die "${PROVIDER} is missing: run bash .ci/galera.sh install"
  id "${RUN_AS}" >/dev/null 2>&1 || die "user ${RUN_AS} does not exist (the mariadb-server package creates it)"
  if [[ -n "${1:-}" ]]; then
    start_node "$1"
    return
  fi
  local n
  for n in "${NODES[@]}"; do start_node "${n}"; done
  # Users are replicated (MariaDB replicates CREATE USER / GRANT): once is enough.
  create_user 1
  local size
  size="$(cluster_size 1)"
  [[ "${size}" == "${#NODES[@]}" ]] || die "the cluster has ${size} nodes instead of ${#NODES[@]}"
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$(sql_port 3)" -u"${DB_USER}" -p"${DB_PASSWORD}" \
    -e "SELECT 1" >/dev/null || die "user ${DB_USER} cannot log in on node 3"
  log "ready: ${#NODES[@]} nodes synced$(strict_enabled && echo ", strict (wsrep_mode=REQUIRED_PRIMARY_KEY, wsrep_max_ws_rows=${MAX_WS_ROWS})"): $(url)"
}

stop_node() {
  local n=$1 pid
  if ! pid="$(node_pid "${n}")"; then
    log "node ${n}: not running"
    return
  fi
  log "node ${n}: stopping"
  if node_answers "${n}"; then
    mariadb-admin --no-defaults --socket="$(node_socket "${n}")" -uroot shutdown || kill "${pid}"
  else
    kill "${pid}"
  fi
  local waited=0
  while kill -0 "${pid}" 2>/dev/null; do
    if ((waited >= STOP_TIMEOUT_SECONDS * 2)); then
      log "node ${n}: still running after ${STOP_TIMEOUT_SECONDS}s, killing it"
      kill -9 "${pid}" 2>/dev/null || true
      break
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  log "node ${n}: stopped"
}

stop() {
  if [[ -n "${1:-}" ]]; then
    stop_node "$1"
    return
  fi
  # The last one to leave is marked safe to bootstrap: node 1, which start founds the cluster on.
  local n
  for n in 3 2 1; do stop_node "${n}"; done
}

kill_node() {
  local n=$1 pid
  pid="$(node_pid "${n}")" || die "node ${n} is not running"
  log "node ${n}: kill -9 ${pid}"
  kill -9 "${pid}"
  local waited=0
  while kill -0 "${pid}" 2>/dev/null; do
    ((waited < 20)) || die "node ${n} (pid ${pid}) survived kill -9"
    sleep 0.25
    waited=$((waited + 1))
  done
  # A killed server leaves its socket and pid file behind.
  rm -f "$(node_socket "${n}")" "$(node_pid_file "${n}")"
}

status() {
  local n state all_synced=0
  for n in "${NODES[@]}"; do
    state="$(node_state "${n}")"
    if [[ "${state}" == "Synced" ]]; then
      log "node ${n}: ${state}, cluster size $(cluster_size "${n}"), 127.0.0.1:$(sql_port "${n}")"
    else
      log "node ${n}: ${state:-not running}"
      all_synced=1
    fi
  done
  return "${all_synced}"
}

strict() {
  local mode rows size
  case "${1:-}" in
    on)
      mkdir -p "${CLUSTER_DIR}"
      touch "${CLUSTER_DIR}/strict"
      mode=REQUIRED_PRIMARY_KEY rows="${MAX_WS_ROWS}" size="${MAX_WS_SIZE}"
      ;;
    off)
      rm -f "${CLUSTER_DIR}/strict"
      [[ "${GALERA_STRICT:-0}" != "1" ]] || die "GALERA_STRICT=1 is set: unset it to turn strict mode off"
      mode="" rows=0 size=2147483647
      ;;
    *) die "usage: bash .ci/galera.sh strict on|off" ;;
  esac
  local n
  for n in "${NODES[@]}"; do
    if node_answers "${n}"; then
      root_sql "${n}" "SET GLOBAL wsrep_mode='${mode}'; SET GLOBAL wsrep_max_ws_rows=${rows};
        SET GLOBAL wsrep_max_ws_size=${size}"
      write_config "${n}"
    fi
  done
  log "strict $1: wsrep_mode='${mode}', wsrep_max_ws_rows=${rows}, wsrep_max_ws_size=${size}"
}

url() {
  local hosts=() n
  for n in "${NODES[@]}"; do hosts+=("127.0.0.1:$(sql_port "${n}")"); done
  echo "mysql://${DB_USER}:${DB_PASSWORD}@$(
    IFS=,
    echo "${hosts[*]}"
  )/workbench_test"
}

main() {
  case "${1:-}" in
    install) install ;;
    start) start "${2:-}" ;;
    stop) stop "${2:-}" ;;
    kill)
      [[ -n "${2:-}" ]] || die "usage: bash .ci/galera.sh kill N"
      kill_node "$2"
      ;;
    status) status ;;
    strict) strict "${2:-}" ;;
    url) url ;;
    *) die "usage: bash .ci/galera.sh install|start [N]|stop [N]|kill N|status|strict on|off|url" ;;
  esac
}

main "$@"
