#!/usr/bin/env bash
# Makes the two folders the container image is built from (the image's base is `scratch`: nothing is pulled).
#   $OUT/runtime  -> /     a Java runtime made by jlink from the JDK that runs Maven (/opt/java), the shared
#                          libraries it needs copied from this machine (glibc, libz, libstdc++, libgcc_s),
#                          glibc's C.UTF-8 locale, and the empty /tmp and /app/data
#   $OUT/app      -> /app  jvm.options, application.properties and routes/ of the checkout, the class path of the
#                          entrypoint (classpath-args) and the class-data archive (train-archive.sh)
# Run by Maven (pre-integration-test); Jib then adds both folders as layers. The runtime is made again only
# when this script, the module list, the JDK or glibc changed, or when it does not start. Builds running at the
# same time in one checkout take turns, and a folder is only replaced whole, by a complete new one.
# usage: make-runtime.sh OUT JAVA_HOME MODULES BASEDIR MAIN_CLASS
set -euo pipefail
out=$1 java_home=$2 modules=$3 basedir=$4 main_class=$5
runtime=$out/runtime

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

stamp="$(sha256sum "$0" | cut -d' ' -f1) $modules $java_home $("$java_home/bin/java" -version 2>&1 | tr '\n' ' ')"
stamp+=" $(ldd --version 2>&1 | sed -n 1p)"
if [[ -f $out/runtime.stamp && "$(cat "$out/runtime.stamp")" == "$stamp" ]] \
    && "$runtime/opt/java/bin/java" -version > /dev/null 2>&1; then
  echo "image runtime: $runtime is up to date"
else
  new=$out/runtime.new
  rm -rf "$new" "$out/runtime.stamp"
  mkdir -p "$new/opt" "$new/tmp" "$new/app/data"
  # --generate-cds-archive: the JDK's own class-data archive, which the image's archive of the router's classes
  # (train-archive.sh) extends; the one for heaps over 32 GB is left out
  "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
      --compress=2 --generate-cds-archive --output "$new/opt/java"
  jre=$new/opt/java
  rm -f "$jre/lib/server/classes_nocoops.jsa"
  # The image is headless: java.desktop is there for java.beans, not for windows, fonts, sound or images, so
  # its native libraries that need X11, fontconfig, ALSA, libjpeg or lcms2 are left out (with their libraries)
  for lib in libawt_xawt libjawt libsplashscreen libfontmanager libjsound liblcms libjavajpeg; do
    rm -f "$jre/lib/$lib.so"
  done

  # Every shared library the runtime's programs and libraries load from the system, at the path the dynamic
  # loader finds it (ld-linux itself at the path written in the programs).
  missing=()
  while read -r lib; do
    case $lib in
      "not found:"*) missing+=("${lib#not found:}") ;;
      /*) install -D -m 755 "$(readlink -f "$lib")" "$new$lib" ;;
    esac
  done < <(find "$jre/bin" "$jre/lib" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
      | xargs -0 -n1 env LD_LIBRARY_PATH="$jre/lib:$jre/lib/server" ldd 2>/dev/null \
      | awk -v jre="$jre" '
          $2 == "=>" && $3 == "not" { print "not found:" $1; next }
          $2 == "=>" && index($3, jre) != 1 { print $3; next }
          $1 ~ /^\// && $2 ~ /^\(/ && index($1, jre) != 1 { print $1 }' \
      | sort -u || true)
  if (( ${#missing[@]} )); then
    echo "image runtime: no system library for: ${missing[*]}" >&2
    exit 1
  fi
  # LANG=C.UTF-8 (the image's environment) makes Java's file.encoding and file names UTF-8; glibc reads it from
  # these files (shipped by glibc 2.35 and later, the same glibc as copied above)
  if [[ ! -d /usr/lib/locale/C.utf8 ]]; then
    echo "image runtime: /usr/lib/locale/C.utf8 is missing (glibc 2.35 or later has it)" >&2
    exit 1
  fi
  mkdir -p "$new/usr/lib/locale"
  cp -r /usr/lib/locale/C.utf8 "$new/usr/lib/locale/"

  if ! "$jre/bin/java" -version > /dev/null 2>&1; then
    echo "image runtime: the new runtime does not start:" >&2
    "$jre/bin/java" -version
    exit 1
  fi
  rm -rf "$runtime"
  mv "$new" "$runtime"
  echo "$stamp" > "$out/runtime.stamp"
  echo "image runtime: $(du -sh "$runtime" | cut -f1) in $runtime (modules $modules)"
fi

# The operator's files, as a checkout has them, and the archive of the router's classes made for this runtime
rm -rf "$out/app.new"
mkdir -p "$out/app.new"
cp "$basedir/jvm.options" "$basedir/application.properties" "$out/app.new/"
cp -r "$basedir/routes" "$out/app.new/"
bash "$basedir/src/image/train-archive.sh" "$out/app.new" "$runtime/opt/java" "$basedir" "$out/libs-classpath" \
  "$main_class"
rm -rf "$out/app"
mv "$out/app.new" "$out/app"
