#!/usr/bin/env bash
# Long fuzzing run of every fuzz target (docs/reliability.md): each target fuzzes for MINUTES (default 10) with
# Jazzer, starting from its committed inputs and the local corpus (<module>/.cifuzz-corpus, git-ignored), and
# the script prints per target the inputs tried, the time and the crashes found. A crash fails the target and
# is written by Jazzer into the target's Inputs directory (src/test/resources/.../<Test>Inputs/<method>/crash-*),
# where `mvn test` replays it from then on: fix the code, rename the file after the behaviour, commit both.
#
#   scripts/fuzz.sh            # 10 minutes per target
#   scripts/fuzz.sh 60         # an hour per target
#   scripts/fuzz.sh 2 webhook:AdmissionFuzzTest
set -euo pipefail
cd "$(dirname "$0")/.."

minutes="${1:-10}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(webhook:AdmissionFuzzTest core:ExperimentFuzzTest core:MetricFuzzTest)
fi
case "$minutes" in (*[!0-9]*|'') echo "usage: scripts/fuzz.sh [minutes] [module:FuzzTest ...]" >&2; exit 2;; esac

echo "scripts/fuzz.sh: building core, testkit and webhook"
mvn -B -q -pl core,testkit,webhook -am install -DskipTests

summary=()
failed=0
for t in "${targets[@]}"; do
  module="${t%%:*}"
  class="${t#*:}"
  inputs_dir=$(find "$module/src/test/resources" -type d -name "${class}Inputs" | head -1)
  before=$(find "$inputs_dir" -name 'crash-*' 2>/dev/null | sort)
  rm -f "$module"/target/fuzz-stats/"$class".*.txt
  echo "scripts/fuzz.sh: fuzzing $module $class for $minutes min"
  start=$(date +%s)
  set +e
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${minutes}m" JAZZER_INSTRUMENT='tools.iter8.**,com.fasterxml.jackson.**' \
    mvn -B -q -pl "$module" surefire:test -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dsurefire.timeout=$(( minutes * 60 + 600 )) > "$module/target/fuzz-$class.log" 2>&1
  rc=$?
  set -e
  elapsed=$(( $(date +%s) - start ))
  stats=$(cat "$module"/target/fuzz-stats/"$class".*.txt 2>/dev/null | head -1)
  inputs=$(sed -n 's/.*inputs=\([0-9]*\).*/\1/p' <<<"$stats")
  after=$(find "$inputs_dir" -name 'crash-*' 2>/dev/null | sort)
  new=$(comm -13 <(echo "$before") <(echo "$after") | grep -c . || true)
  if [ "$rc" -eq 0 ]; then result=ok; else result="FAILED (exit $rc; $module/target/fuzz-$class.log)"; failed=1; fi
  summary+=("$(printf '%-22s inputs %12s   time %5ss   new crashes %s   %s' "$class" "${inputs:-?}" "$elapsed" "$new" "$result")")
done

echo
echo "scripts/fuzz.sh: $minutes min per target, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
printf '%s\n' "${summary[@]}"
exit "$failed"
