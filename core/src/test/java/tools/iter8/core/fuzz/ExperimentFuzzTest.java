package tools.iter8.core.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.defaults.ExperimentDefaults;
import tools.iter8.core.validation.ExperimentValidator;

/**
 * Coverage-guided fuzzing of the Experiment parser, defaults, validator and CRD schema check ({@link
 * ApiFuzzing} lists the properties). Regression mode over {@code ExperimentFuzzTestInputs/} in every build;
 * real fuzzing with {@code JAZZER_FUZZ=1} ({@code scripts/fuzz.sh}, docs/reliability.md).
 */
class ExperimentFuzzTest {
  private static final ApiFuzzing<Experiment> FUZZING =
      new ApiFuzzing<>(Experiment.class, ExperimentDefaults::apply, ExperimentValidator::validate);
  private static final FuzzStats STATS = new FuzzStats("ExperimentFuzzTest#parsingDefaultingAndValidationAreTotal");

  @AfterAll
  static void report() {
    STATS.report();
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
    "apiVersion: iter8.tools/v2alpha2", "kind: Experiment", "metadata:", "spec:", "target:", "strategy:",
    "testingPattern:", "Canary", "A/B", "A/B/N", "Conformance", "Pareto", "deploymentPattern:", "Progressive",
    "FixedSplit", "BlueGreen", "DarkLaunch", "weights:", "maxCandidateWeight:", "maxCandidateWeightIncrement:",
    "actions:", "start:", "loop:", "finish:", "rollback:", "failure:", "task:", "common/readiness",
    "notification/http", "common/promote", "common/rollback", "if:", "CandidateWon()", "WinnerFound()", "not ",
    "criteria:", "requestCount:", "objectives:", "rewards:", "metric:", "upperLimit:", "lowerLimit:",
    "preferredDirection:", "High", "Low", "strength:", "indicators:", "duration:", "intervalSeconds:",
    "iterationsPerLoop:", "maxLoops:", "versionInfo:", "baseline:", "candidates:", "name:", "variables:",
    "weightObjRef:", "fieldPath:", "routing:", "router:", "Replicas", "match:", "headers:", "stickySessions:",
    "status:", "\"0.01\"", "250m", "1e309", "-1", "NaN", ".inf", "~", "&a", "*a", "!!binary", "{", "}", "[", "]"
  })
  void parsingDefaultingAndValidationAreTotal(byte[] input) {
    STATS.count();
    FUZZING.check(input);
  }
}
