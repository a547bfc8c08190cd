#!/usr/bin/env bash
# Runs a Pipe (examples/pipes/*.pipe.yaml) with Camel's own Kamelet runtime, camel-kamelet-main (what Camel JBang's
# `camel run` runs), this build's Kamelets and classes on its classpath: the router's application.properties is
# not read, and nothing is downloaded at run time. The Pipe's properties come from the environment (or -D options):
#   TENCENT_SDKAPPID=1400000000 TENCENT_CALLBACK_TOKEN=... DINGTALK_ROBOT_URL=... \
#     scripts/run-pipe.sh examples/pipes/alarm-to-dingtalk.pipe.yaml -Dcamel.server.port=8080
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pipe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
cd "$root"
if [ ! -f target/chat-callback-router.jar ]; then
  mvn -B -q package -DskipTests
fi
if [ ! -f target/kamelet-main.classpath ] || [ pom.xml -nt target/kamelet-main.classpath ]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/kamelet-main.classpath
fi
# the Kamelets name this jar as their dependency: the runtime finds it in the local repository, as a platform would
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
if [ ! -f "$HOME/.m2/repository/io/github/chatcallbackrouter/chat-callback-router/$version/chat-callback-router-$version.jar" ]; then
  mvn -B -q install:install-file -Dfile=target/chat-callback-router.jar -DpomFile=pom.xml
fi
classpath="$root/target/chat-callback-router.jar:$(cat target/kamelet-main.classpath)"
# a working directory of its own: the runtime reads an application.properties where it starts, and the router's is
# not the Pipe's
mkdir -p target/pipe-run
cd target/pipe-run
camel=$(sed -n 's:.*<camel.version>\(.*\)</camel.version>.*:\1:p' "$root/pom.xml")
# the Pipe's own HTTP server (platform-http) on camel.server.port, 8080 unless -Dcamel.server.port= says otherwise;
# the Kamelet catalogue of this Camel version, the one on the classpath
exec java -Dcamel.server.enabled=true -Dcamel.server.port=8080 -Dcamel.jbang.kameletsVersion="$camel" "$@" \
  -Dcamel.main.routes-include-pattern="file:$pipe" -cp "$classpath" org.apache.camel.main.KameletMain -download false
