#!/usr/bin/env bash
# The main job: a whole canary end to end in the local sandbox (Kubernetes API emulation + the real webhook over
# TLS + the real agent + two versions of a small HTTP app under simulated users, and Prometheus if installed).
#   scripts/demo.sh          a healthy v2 is promoted
#   scripts/demo.sh bad      a faulty v2 is rolled back
# Extra options: --metrics prometheus|embedded|auto, --rps N, --timeout SECONDS. Exit 0 only on the expected outcome.
# Needs only Java 17 and Maven; the first run builds the sandbox (a few minutes), later runs start at once.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=sandbox/target/iter8-sandbox.jar
if [ ! -f "$jar" ] || [ -n "$(find core webhook agent cli testkit sandbox manifests/metrics manifests/crds pom.xml \
      -newer "$jar" -type f \( -name '*.java' -o -name '*.yaml' -o -name 'pom.xml' \) -not -path '*/target/*' -print -quit)" ]; then
  echo "demo: building the sandbox (mvn -q -pl sandbox -am package -DskipTests)..." >&2
  mvn -B -q -pl sandbox -am install -DskipTests >&2
fi
exec java -XX:+UseSerialGC -jar "$jar" "$@"
