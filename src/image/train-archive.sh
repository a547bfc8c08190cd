#!/usr/bin/env bash
# The image's class-data archive, /app/target/chat-callback-router.jsa (the path jvm.options names), so that the
# image starts as fast as the jar in the checkout. The JVM takes an archive only where the class path and the jars'
# sizes and times are those it was made with, so it is made by the image's own Java runtime (make-runtime.sh) in a
# copy of /app: the relative class path the entrypoint gives (/app/classpath-args), and the jars with the time Jib
# gives every file (1970-01-01T00:00:01Z).
# usage: train-archive.sh APP JAVA_HOME BASEDIR LIBS MAIN_CLASS  (APP: what becomes /app; JAVA_HOME: the image's
# runtime; LIBS: a file with the dependencies' class path, libs/NAME.jar in Maven's order, as Jib puts them in
# /app/libs; MAIN_CLASS: the entrypoint's)
set -euo pipefail
app=$1 java_home=$2 basedir=$3 libs=$4 main_class=$5
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT

mkdir -p "$train/classpath" "$train/libs" "$app/target"
cp "$basedir/target/chat-callback-router.jar" "$train/classpath/"
cp "$basedir"/target/lib/*.jar "$train/libs/"
touch -d @1 "$train"/classpath/*.jar "$train"/libs/*.jar
printf -- '-cp\nclasspath/chat-callback-router.jar:%s\n' "$(cat "$libs")" > "$app/classpath-args"
cp -r "$app/jvm.options" "$app/application.properties" "$app/routes" "$app/classpath-args" "$train/"

bash "$basedir/src/cds/train.sh" "$train" "$(cd "$app/target" && pwd)/chat-callback-router.jsa" "$java_home" \
  @classpath-args "$main_class"
