#!/usr/bin/env bash
# The benchmark in one command, from any directory: builds the router jar and the benchmark tool, runs the router
# (as users run it), a bare Vert.x server and, when installed, Prometheus Alertmanager, each on one core under the
# same load, prints a side-by-side table and writes bench/results/latest.md and bench/results/latest.json. Needs a
# JDK 17 (`java` on PATH) and Maven; uses wrk for saturation and Alertmanager as the peer when Debian's packages
# are installed (`apt-get install wrk prometheus-alertmanager`). Not part of `mvn verify`. Set BENCH_* variables
# (see bench/README.md) only for a quick look.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$bench_dir/.." && pwd)"
pid_dir="$bench_dir/target/pids"
bench_pid=""

# Whatever happens (failure, Ctrl-C, kill), nothing started here is left running.
cleanup() {
  if [[ -n "$bench_pid" ]] && kill -0 "$bench_pid" 2>/dev/null; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$bench_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$bench_pid" 2>/dev/null || true
  fi
  # servers the tool started and could not stop (it writes their pids; only ours, checked by command line)
  for pid_file in "$pid_dir"/*.pid; do
    [[ -e "$pid_file" ]] || continue
    pid="$(cat "$pid_file")"
    if grep -qa 'chat-callback-router' "/proc/$pid/cmdline" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pid_file"
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$(date +%s)
echo "bench: building the router (mvn -B -q package -DskipTests)" >&2
mvn -B -q -f "$repo_root/pom.xml" package -DskipTests >&2
echo "bench: building the benchmark tool (bench/pom.xml)" >&2
mvn -B -q -f "$bench_dir/pom.xml" package >&2
built=$(date +%s)
echo "bench: built in $((built - started)) s; running the benchmark (about 8 minutes)" >&2

# The server under test on CPU 0, this tool (load generator, fake Slack, fake backend) on the others: a generator
# that shares the server's cores measures itself as much as the server (taskset is part of util-linux).
generator=()
if command -v taskset > /dev/null && [[ $(nproc) -ge 2 ]]; then
  export BENCH_SERVER_CPUS=0
  others="1-$(( $(nproc) - 1 ))"
  [[ $(nproc) -eq 2 ]] && others=1
  generator=(taskset -c "$others")
  echo "bench: servers pinned to CPU 0, the load generator to CPU $others" >&2
else
  echo "bench: taskset or a second CPU missing: servers and load generator share the CPUs" >&2
fi
"${generator[@]}" java -Xms256m -Xmx1g -jar "$bench_dir/target/chat-callback-router-bench.jar" "$repo_root" "$bench_dir" &
bench_pid=$!
wait "$bench_pid"
bench_pid=""
echo "bench: benchmark ran in $(( $(date +%s) - built )) s" >&2
