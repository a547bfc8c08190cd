#!/usr/bin/env bash
# Makes the class-data archive (AppCDS) that jvm.options names, target/chat-callback-router.jsa: start-up to the
# first answered callback went from about 2.2 s to 1.2 s on 2 cores (bench/). A training run of the packaged
# jar, started exactly as it will run (the README's command, or the image's: the JVM checks the class path of an
# archive), answers an alarm and an ordinary callback and stops; the JVM then writes every class it loaded. A
# missing or stale archive is ignored by the JVM (jvm.options turns its warning off), so this is an optimisation,
# never a requirement.
# Run by Maven in the package phase for the checkout, and for the container image by src/image/train-archive.sh.
# usage: train.sh DIR ARCHIVE JAVA_HOME [ARGUMENTS...]: the router run in DIR (its jvm.options, application.properties
# and routes/) by JAVA_HOME's java with ARGUMENTS after the JVM flags (default: the README's -jar
# target/chat-callback-router.jar); ARCHIVE relative to DIR
set -euo pipefail
dir=$1 archive=$2 java=$3/bin/java
shift 3
launch=("$@")
[[ ${#launch[@]} -gt 0 ]] || launch=(-jar target/chat-callback-router.jar)
samples="$(cd "$(dirname "${BASH_SOURCE[0]}")/../main/resources/samples" && pwd)"
cd "$dir"
work=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
rm -f "$archive"

# the shipped JVM flags, less the archive they read, plus the dump
mapfile -t flags < <(grep -v -e '^#' -e '^$' -e 'SharedArchiveFile' jvm.options)
# JDK 25 makes an AOT cache instead (JEP 483, 514, 515: classes loaded and linked ahead of time, and the training
# run's method profiles), which the same -XX:SharedArchiveFile reads: a faster start on one core (bench/README.md).
if "$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q " AOTCacheOutput "; then
  dump=(-XX:AOTCacheOutput="$archive")
else
  dump=(-XX:ArchiveClassesAtExit="$archive")
fi
touch "$work/router.log"
ROUTER_DATA_DIR="$work/data" CAMEL_SERVER_HOST=127.0.0.1 CAMEL_SERVER_PORT=0 CAMEL_MANAGEMENT_HOST=127.0.0.1 \
  CAMEL_MANAGEMENT_PORT=0 TENCENT_CALLBACK_TOKEN= SLACK_WEBHOOK_URL= ROUTER_RELOAD_ROUTES=false \
  "$java" "${flags[@]}" "${dump[@]}" "${launch[@]}" \
  > "$work/router.log" 2>&1 &
pid=$!

port=""
for _ in $(seq 1 600); do
  port=$(sed -n "s/.*Chat's callbacks at http:\/\/[^ ]*:\([0-9]*\)\/.*/\1/p" "$work/router.log" || true)
  [[ -n $port ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/router.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n $port ]] || { echo "cds: the training run did not start" >&2; cat "$work/router.log" >&2; exit 1; }

post() { # command body: one HTTP request with bash alone, and its status line
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'POST /tencent/callback?SdkAppid=1400000000&CallbackCommand=%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "${#2}" "$2" >&3
  head -1 <&3
  exec 3>&-
}
post Alert.RequestOverLimit "$(cat "$samples/Alert.RequestOverLimit.json")" > /dev/null
post State.StateChange "$(cat "$samples/State.StateChange.json")" > /dev/null
for _ in $(seq 1 50); do # the alarm's way through the rules to the alert file
  compgen -G "$work/data/alerts/*.jsonl" > /dev/null && break
  sleep 0.1
done

kill -TERM "$pid"
wait "$pid" || true
pid=""
[[ -s $archive ]] || { echo "cds: no archive was written" >&2; cat "$work/router.log" >&2; exit 1; }
echo "cds: $archive ($(du -h "$archive" | cut -f1))"
