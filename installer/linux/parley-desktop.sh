#!/bin/sh
# Starts the installed Parley desktop app. The first start records the classes it loads into an archive (class data
# sharing); later starts map it and reach the chat list sooner. A new version of the app gets a new archive. It is
# kept in the app's data directory, so that removing the package and that directory leaves nothing behind.
version=@VERSION@
cache="${PARLEY_DESKTOP_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/parley-desktop}/cds"
jsa="$cache/classes-$version.jsa"
if mkdir -p "$cache" 2>/dev/null; then
  if [ -s "$jsa" ]; then
    JAVA_TOOL_OPTIONS="-XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off ${JAVA_TOOL_OPTIONS:-}"
  else
    rm -f "$cache"/classes-*.jsa
    JAVA_TOOL_OPTIONS="-XX:ArchiveClassesAtExit=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off ${JAVA_TOOL_OPTIONS:-}"
  fi
  # jpackage's launcher ignores JDK_JAVA_OPTIONS (that is the java launcher's); the JVM itself reads this one.
  export JAVA_TOOL_OPTIONS
fi
exec /usr/lib/parley/bin/parley-desktop "$@"
