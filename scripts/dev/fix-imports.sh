#!/usr/bin/env bash
# Puts Java sources in the shape the build's source rules (config/checkstyle.xml) expect: inline fully-qualified
# type names become imports where the simple name is free, then google-java-format's import fixer sorts the imports
# (static first, then ASCII order) and drops unused ones. Formatting beyond imports is left alone.
# Usage: scripts/dev/fix-imports.sh [FILE.java ...]   (default: every tracked .java file)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
version=1.28.0   # the newest google-java-format that runs on Java 17
jar="$HOME/.m2/repository/com/google/googlejavaformat/google-java-format/$version/google-java-format-$version-all-deps.jar"
[ -f "$jar" ] || ./mvnw -q -B -ntp dependency:get -Dartifact="com.google.googlejavaformat:google-java-format:$version:jar:all-deps"
if [ "$#" -gt 0 ]; then files=("$@"); else mapfile -t files < <(git ls-files '*.java'); fi
python3 scripts/dev/inline_names.py "${files[@]}"
exports=()
for p in api code file parser tree util; do exports+=("--add-exports=jdk.compiler/com.sun.tools.javac.$p=ALL-UNNAMED"); done
java "${exports[@]}" -jar "$jar" --fix-imports-only --replace "${files[@]}"
