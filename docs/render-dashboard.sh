#!/usr/bin/env bash
# Re-renders docs/dashboard.png from a built jar (mvn -B -q package -DskipTests), in about two minutes.
#
# Copies the jar, lib/, application.properties, jvm.options and routes/ to a temporary directory and runs
# docs/render_dashboard.py there: the router on free loopback ports, a fake Slack webhook, a scripted mix of
# callbacks, refusals and alarms, /observe/metrics scraped every second; then every PromQL expression of
# docs/grafana/chat-callback-router.json is checked against those scrapes and the panels are drawn.
#
# Needs java 17 and python3 with matplotlib (Debian: apt-get install -y python3-matplotlib).
# Environment: DURATION (seconds of traffic, default 90), RATE_WINDOW (seconds, default 10), PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f target/chat-callback-router.jar || ! -d target/lib ]]; then
    echo "no built jar: run mvn -B -q package -DskipTests first" >&2
    exit 1
fi
python=""
for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
    if "$candidate" -c 'import matplotlib' 2>/dev/null; then python=$candidate; break; fi
done
if [[ -z $python ]]; then
    echo "needs python3 with matplotlib (Debian: apt-get install -y python3-matplotlib)" >&2
    exit 1
fi

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/render-dashboard.XXXXXX")
trap 'rm -rf "$run_dir"' EXIT
cp -r target/chat-callback-router.jar target/lib application.properties jvm.options routes "$run_dir"/

SECONDS=0
"$python" docs/render_dashboard.py "$run_dir" docs/grafana/chat-callback-router.json docs/dashboard.png
echo "rendered in ${SECONDS} s"
