#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft mode: broker + controller in one JVM, no ZooKeeper)
# on 127.0.0.1, for development and CI. The jars are Apache Kafka's own artifacts from Maven Central,
# resolved through scripts/kafka/pom.xml (the Kafka version is pinned there).
#
#   scripts/kafka-local.sh start    resolve the jars (first run only), format the storage (first run
#                                   only), start the broker in the background and wait until it answers;
#                                   prints KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 on stdout
#   scripts/kafka-local.sh stop     SIGTERM, wait, SIGKILL after a timeout; exit 0 if it was not running
#   scripts/kafka-local.sh status   exit 0 and print KAFKA_BOOTSTRAP_SERVERS=... if running, else exit 3
#
# Only the KAFKA_BOOTSTRAP_SERVERS=... line goes to stdout (progress goes to stderr), so a caller can do
#   line=$(scripts/kafka-local.sh start) && export "$line"
# (an assignment keeps start's exit status, which set -e sees; 'eval "$(...)"' or 'export "$(...)"' hide it)
#
# Settings (environment):
#   KAFKA_PORT             PLAINTEXT listener port             (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener port      (default 9093)
#   KAFKA_LOCAL_DIR        where jars, config, data, pid and log live (default <repo>/target/kafka)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer (default 60)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM before SIGKILL (default 30)
#   KAFKA_HEAP_OPTS        broker heap                          (default -Xms128m -Xmx512m)
#   KAFKA_JVM_OPTS         extra broker JVM options             (default none)
#   JAVA_HOME / MVN        the Java (17+) and Maven to use      (default: java and mvn on PATH)
#
# Layout of KAFKA_LOCAL_DIR:
#   libs/          the jars (re-resolved only when scripts/kafka/pom.xml changes)
#   config/        server.properties and log4j2 configs, rewritten on every start
#   data/          the broker's log dir (topics and KRaft metadata); formatted once and kept across
#                  stop/start, so topics and messages survive a restart. Delete it (while stopped) for
#                  an empty broker: rm -rf target/kafka/data
#   kafka.log      the broker's output of the current run (the previous run's is kafka.log.1)
#   kafka.pid      pid of the running broker; bootstrap: its address
#
# The Kafka command-line tools come from the same jars, e.g.:
#   java -cp 'target/kafka/libs/*' -Dlog4j2.configurationFile=target/kafka/config/tools-log4j2.properties \
#        org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
#   (also org.apache.kafka.tools.ConsoleProducer and org.apache.kafka.tools.consumer.ConsoleConsumer)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
POM="$SCRIPT_DIR/kafka/pom.xml"

BASE_DIR="${KAFKA_LOCAL_DIR:-$REPO_ROOT/target/kafka}"
case "$BASE_DIR" in /*) ;; *) BASE_DIR="$PWD/$BASE_DIR" ;; esac
LIBS_DIR="$BASE_DIR/libs"
CONF_DIR="$BASE_DIR/config"
DATA_DIR="$BASE_DIR/data"
LOG_DIR="$DATA_DIR/kraft-combined-logs"
PID_FILE="$BASE_DIR/kafka.pid"
LOG_FILE="$BASE_DIR/kafka.log"
ADDR_FILE="$BASE_DIR/bootstrap"
SERVER_PROPS="$CONF_DIR/server.properties"

HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
EXTRA_JVM_OPTS="${KAFKA_JVM_OPTS:-}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
MVN="${MVN:-mvn}"

log() { printf 'kafka-local: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# --- processes -------------------------------------------------------------------------------------

# The command line of a live (non-zombie) process, or nothing.
proc_cmdline() {
  local pid=$1
  if [[ -d /proc ]]; then
    [[ -r /proc/$pid/cmdline ]] || return 0
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true
  else
    ps -p "$pid" -o args= 2>/dev/null || true
  fi
}

# True when $1 is the broker this script started for this KAFKA_LOCAL_DIR (guards against pid reuse).
is_our_broker() {
  local pid=$1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ "$(proc_cmdline "$pid")" == *"kafka.Kafka $SERVER_PROPS"* ]]
}

# Prints the pid of our running broker; false (and a stale pid file removed) when there is none.
running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  if is_our_broker "$pid"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$PID_FILE"
  return 1
}

# True while process $1 exists and is not a zombie.
alive() {
  local pid=$1 stat
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r /proc/$pid/stat ]]; then
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ "${stat%% *}" != Z ]]
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# Sends SIGTERM to the broker $1, waits up to STOP_TIMEOUT seconds, then SIGKILL.
terminate() {
  local pid=$1 waited=0
  kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid"; do
    if (( waited >= STOP_TIMEOUT * 5 )); then
      log "broker (pid $pid) still up ${STOP_TIMEOUT}s after SIGTERM: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      waited=0
      while alive "$pid" && (( waited < 50 )); do sleep 0.2; waited=$((waited + 1)); done
      alive "$pid" && die "broker (pid $pid) survived SIGKILL"
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  return 0
}

# --- setup -----------------------------------------------------------------------------------------

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "no java found ($JAVA): Kafka 4 needs Java 17 or newer"
}

# Copies the broker and tool jars into libs/ unless they are already there for this pom.
ensure_libs() {
  local stamp want tmp
  want=$(cksum <"$POM")
  stamp="$LIBS_DIR/.pom-cksum"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && compgen -G "$LIBS_DIR/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  # libs/ is replaced as a whole: never one this script did not make (e.g. KAFKA_LOCAL_DIR=$HOME).
  if [[ -d "$LIBS_DIR" && ! -f "$stamp" ]] && [[ -n "$(ls -A "$LIBS_DIR")" ]]; then
    die "$LIBS_DIR exists and was not made by this script: choose another KAFKA_LOCAL_DIR"
  fi
  command -v "$MVN" >/dev/null 2>&1 || die "Maven ($MVN) is needed once to resolve the Kafka jars"
  log "resolving the Kafka jars with Maven into $LIBS_DIR ..."
  mkdir -p "$BASE_DIR"
  tmp="$BASE_DIR/libs.tmp"
  rm -rf "$tmp"
  # Maven's stdout goes to stderr: stdout is kept for the KAFKA_BOOTSTRAP_SERVERS line.
  if ! "$MVN" -B -q -f "$POM" dependency:copy-dependencies -DoutputDirectory="$tmp" >&2; then
    rm -rf "$tmp"
    die "Maven could not resolve the Kafka jars (see above)"
  fi
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  printf '%s\n' "$want" >"$stamp"
}

write_config() {
  mkdir -p "$CONF_DIR"
  cat >"$SERVER_PROPS" <<EOF
# Written by scripts/kafka-local.sh on every start: edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$LOG_DIR
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
EOF

  # Broker: everything to stdout, which start sends to kafka.log.
  cat >"$CONF_DIR/log4j2.properties" <<'EOF'
status = warn
# Kafka logs its own shutdown from a JVM shutdown hook: Log4j's hook would cut that off.
shutdownHook = disable
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = INFO
EOF

  # Command-line tools: warnings only, to stderr (keeps a console consumer's stdout clean).
  cat >"$CONF_DIR/tools-log4j2.properties" <<'EOF'
status = warn
appender.err.type = Console
appender.err.name = ERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = ERR
EOF

  # Short client timeouts for the readiness probe.
  cat >"$CONF_DIR/probe-admin.properties" <<'EOF'
request.timeout.ms=5000
default.api.timeout.ms=8000
EOF
}

# Runs a Kafka tool class from libs/ in a small, fast-starting JVM.
run_tool() {
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$CONF_DIR/tools-log4j2.properties" \
    -cp "$LIBS_DIR/*" "$@"
}

# Formats the log dir once (KRaft, standalone controller); a formatted one is kept as it is, so topics
# and messages survive stop/start. (Changing KAFKA_PORT or KAFKA_CONTROLLER_PORT later is fine.)
ensure_formatted() {
  local cluster_id
  [[ -f "$LOG_DIR/meta.properties" ]] && return 0
  rm -rf "$LOG_DIR"   # what a failed format may have left
  mkdir -p "$DATA_DIR"
  # A cluster id is 16 random bytes in URL-safe base64 without padding (what 'kafka-storage random-uuid' prints).
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  log "formatting $LOG_DIR (cluster id $cluster_id) ..."
  # as --cluster-id=ID: an id that starts with '-' (one in 64) would otherwise be read as an option
  if ! run_tool kafka.tools.StorageTool format --standalone --cluster-id="$cluster_id" -c "$SERVER_PROPS" >&2; then
    rm -rf "$LOG_DIR"
    die "formatting the storage failed"
  fi
}

# --- commands --------------------------------------------------------------------------------------

print_address() {
  local addr="$HOST:$PORT"
  [[ -f "$ADDR_FILE" ]] && addr=$(cat "$ADDR_FILE")
  printf 'KAFKA_BOOTSTRAP_SERVERS=%s\n' "$addr"
}

# Reports a failed start with the tail of the broker's log, and stops what was started.
fail_start() {
  local pid=$1 why=$2
  log "$why"
  if [[ -f "$LOG_FILE" ]]; then
    log "last lines of $LOG_FILE:"
    tail -n 40 "$LOG_FILE" >&2 || true
  fi
  if [[ -n "$pid" ]] && alive "$pid"; then
    log "stopping the broker (pid $pid)"
    terminate "$pid"
  fi
  rm -f "$PID_FILE" "$ADDR_FILE"
  exit 1
}

# Serialises start and stop for one KAFKA_LOCAL_DIR (where flock exists).
take_lock() {
  mkdir -p "$BASE_DIR"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$BASE_DIR/.lock"
  flock -w 300 9 || die "another start or stop of $BASE_DIR is still running"
}

cmd_start() {
  local pid started
  take_lock
  if pid=$(running_pid); then
    log "already running (pid $pid)"
    print_address
    return 0
  fi
  for p in "$PORT" "$CONTROLLER_PORT"; do
    port_open "$p" && die "port $HOST:$p is already in use by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
  done
  check_java
  started=$SECONDS
  ensure_libs
  write_config
  ensure_formatted

  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  # shellcheck disable=SC2086 # HEAP_OPTS and EXTRA_JVM_OPTS are lists of options
  nohup "$JAVA" $HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" \
    $EXTRA_JVM_OPTS -cp "$LIBS_DIR/*" kafka.Kafka "$SERVER_PROPS" \
    >"$LOG_FILE" 2>&1 </dev/null 9>&- &
  pid=$!
  # Wait for nohup to exec java, so that the pid file never names a process that is not the broker.
  local tries=0
  until is_our_broker "$pid"; do
    alive "$pid" || fail_start "" "the broker exited during start-up"
    (( tries++ < 100 )) || fail_start "$pid" "the broker process did not come up"
    sleep 0.05
  done
  printf '%s\n' "$pid" >"$PID_FILE"
  printf '%s\n' "$HOST:$PORT" >"$ADDR_FILE"
  log "broker starting (pid $pid, log $LOG_FILE) ..."

  # Ready = the broker answers a metadata request (list topics) on its PLAINTEXT listener.
  local deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    alive "$pid" || fail_start "" "the broker exited during start-up"
    if port_open "$PORT" && run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$PORT" \
        --command-config "$CONF_DIR/probe-admin.properties" --list >/dev/null 2>&1; then
      break
    fi
    (( SECONDS < deadline )) || fail_start "$pid" "the broker did not answer on $HOST:$PORT within ${START_TIMEOUT}s"
    sleep 0.5
  done
  log "ready in $((SECONDS - started))s (pid $pid)"
  print_address
}

cmd_stop() {
  local pid
  if [[ ! -d "$BASE_DIR" ]]; then
    log "not running"
    return 0
  fi
  take_lock
  if ! pid=$(running_pid); then
    log "not running"
    rm -f "$ADDR_FILE"
    return 0
  fi
  log "stopping (pid $pid) ..."
  terminate "$pid"
  rm -f "$PID_FILE" "$ADDR_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if ! pid=$(running_pid); then
    log "not running"
    return 3
  fi
  local addr
  addr=$(print_address)
  if ! port_open "${addr##*:}"; then
    log "broker process $pid is up but ${addr#*=} does not accept connections (starting or stopping?)"
    return 1
  fi
  log "running (pid $pid)"
  printf '%s\n' "$addr"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
