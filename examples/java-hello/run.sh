#!/bin/sh
# Builds and runs the Java hello example (the spec's Complete Example). Needs a display (DISPLAY).
# Usage: examples/java-hello/run.sh   (from anywhere; extra arguments go to the app)
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
mvn -o -q -pl examples/java-hello -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
cd "$here"
exec java -cp "target/classes:$(cat target/classpath.txt)" dev.kiln.examples.hello.HelloApp "$@"
