#!/usr/bin/env bash
# The desktop benchmark: `desktop-app/scripts/benchmark.sh [MESSAGES]` (default 100000). Builds the module, fills an
# account with MESSAGES received messages (once; kept in desktop-app/target/bench-MESSAGES), then measures opening
# and searching that conversation and cold starts of the real app (under Xvfb when there is no display).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -q -B -ntp -DskipTests -pl desktop-app -am install >&2
./mvnw -q -B -ntp -pl desktop-app dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >&2
cd desktop-app
exec java -Xlog:disable -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.parley.desktop.bench.DesktopBenchmark "$@"
