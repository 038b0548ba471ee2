#!/bin/sh
# Starts the installed Parley desktop app. The first start records the classes it loads into an archive (class data
# sharing); later starts map it and reach the chat list sooner. A new version of the app gets a new archive. It is
# kept in the app's data directory, so that removing the package and that directory leaves nothing behind.
version=@VERSION@
cache="${PARLEY_DESKTOP_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/parley-desktop}/cds"
jsa="$cache/classes-$version.jsa"
if mkdir -p "$cache" 2>/dev/null; then
  if [ -s "$jsa" ]; then
    JDK_JAVA_OPTIONS="-XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off ${JDK_JAVA_OPTIONS:-}"
  else
    rm -f "$cache"/classes-*.jsa
    JDK_JAVA_OPTIONS="-XX:ArchiveClassesAtExit=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off ${JDK_JAVA_OPTIONS:-}"
  fi
  export JDK_JAVA_OPTIONS
fi
exec /usr/lib/parley/bin/parley-desktop "$@"
