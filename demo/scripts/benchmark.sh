#!/usr/bin/env bash
# The desktop benchmark: `demo/scripts/benchmark.sh [MESSAGES]` (default 100000). Builds the app and the demo module,
# fills an account with MESSAGES received messages (once; kept in demo/target/bench-MESSAGES), then measures opening
# and searching that conversation and cold starts of the real app (under Xvfb when there is no display).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -q -B -ntp -DskipTests -pl desktop-app,demo -am install >&2
./mvnw -q -B -ntp -pl demo dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >&2
cd demo
exec java -Xlog:disable -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.parley.demo.bench.DesktopBenchmark "$@"
