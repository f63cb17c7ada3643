package tools.iter8.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.Samples;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

class ExperimentValidatorTest {

  private static final String VALID =
      """
      apiVersion: iter8.tools/v2alpha2
      kind: Experiment
      metadata: {name: e, namespace: default}
      spec:
        target: default/app
        strategy:
          testingPattern: Canary
          actions:
            finish:
            - {if: CandidateWon(), task: common/promote}
        criteria:
          requestCount: iter8-system/request-count
          objectives:
          - {metric: iter8-system/error-rate, upperLimit: "0.01"}
        duration: {intervalSeconds: 5, iterationsPerLoop: 4}
        versionInfo:
          baseline:
            name: v1
            weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: vs, fieldPath: ".spec.http[0].route[0].weight"}
          candidates:
          - name: v2
            weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: vs, fieldPath: ".spec.http[0].route[1].weight"}
      """;

  static Stream<Samples.Doc> sampleExperiments() {
    return Samples.ofKind("Experiment").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleExperiments")
  void everySampleFromTheOriginalIsValid(Samples.Doc doc) {
    Experiment e = ApiMapper.fromTree(doc.node(), Experiment.class);

    assertThat(ExperimentValidator.validate(e)).isEmpty();
  }

  @Test
  void theBaseOfTheBrokenTableIsValid() {
    assertThat(ExperimentValidator.validate(ApiMapper.read(VALID, Experiment.class))).isEmpty();
  }

  /** One broken experiment: where to break it, with what, and the problem expected. */
  record Broken(String description, String path, Object value, String problemPath, String message) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Arguments> brokenExperiments() {
    return Stream.of(
            new Broken("wrong apiVersion", "apiVersion", "iter8.tools/v2alpha1", "apiVersion", "must be iter8.tools/v2alpha2"),
            new Broken("no name", "metadata.name", null, "metadata.name", "is required"),
            new Broken("empty target", "spec.target", "", "spec.target", "is required"),
            new Broken("unknown testing pattern", "spec.strategy.testingPattern", "Canery", "spec.strategy.testingPattern",
                "unknown testing pattern \"Canery\"; expected one of Canary, A/B, A/B/N, Conformance, Pareto"),
            new Broken("unknown deployment pattern", "spec.strategy.deploymentPattern", "Rolling", "spec.strategy.deploymentPattern",
                "unknown deployment pattern \"Rolling\"; expected one of Progressive, FixedSplit, BlueGreen, DarkLaunch"),
            new Broken("Conformance with a candidate", "spec.strategy.testingPattern", "Conformance", "spec.versionInfo.candidates",
                "a Conformance experiment needs no candidates, got 1"),
            new Broken("Canary with two candidates", "spec.versionInfo.candidates[1]", ApiMapper.yaml().createObjectNode().put("name", "v3"),
                "spec.versionInfo.candidates", "a Canary experiment needs exactly 1 candidate, got 2"),
            new Broken("Canary without candidates", "spec.versionInfo.candidates", ApiMapper.yaml().createArrayNode(),
                "spec.versionInfo.candidates", "a Canary experiment needs exactly 1 candidate, got 0"),
            new Broken("A/B without a reward", "spec.strategy.testingPattern", "A/B", "spec.criteria.rewards",
                "a A/B experiment needs exactly 1 reward, got 0"),
            new Broken("Canary with a reward", "spec.criteria.rewards[0]", reward("iter8-istio/user-engagement", "High"),
                "spec.criteria.rewards", "a Canary experiment needs no rewards, got 1"),
            new Broken("reward direction unknown", "spec.criteria.rewards[0]", reward("m", "Higher"),
                "spec.criteria.rewards[0].preferredDirection", "must be High or Low, got \"Higher\""),
            new Broken("duplicate version names", "spec.versionInfo.candidates[0].name", "v1",
                "spec.versionInfo.candidates[0].name", "version names must be unique; \"v1\" appears more than once"),
            new Broken("version without a name", "spec.versionInfo.candidates[0].name", null,
                "spec.versionInfo.candidates[0].name", "is required"),
            new Broken("fieldPath without a leading dot", "spec.versionInfo.baseline.weightObjRef.fieldPath", "spec.http[0].route[0].weight",
                "spec.versionInfo.baseline.weightObjRef.fieldPath", "must start with '.'"),
            new Broken("fieldPath with a JSONPath filter", "spec.versionInfo.baseline.weightObjRef.fieldPath", ".spec.http[?(@.name=='a')].weight",
                "spec.versionInfo.baseline.weightObjRef.fieldPath", "expected field names and list indexes"),
            new Broken("task and run both set", "spec.strategy.actions.finish[0].run", "kubectl apply -f x.yaml",
                "spec.strategy.actions.finish[0]", "exactly one of task or run must be set"),
            new Broken("neither task nor run", "spec.strategy.actions.finish[0].task", null,
                "spec.strategy.actions.finish[0]", "exactly one of task or run must be set"),
            new Broken("unknown task", "spec.strategy.actions.finish[0].task", "common/exec",
                "spec.strategy.actions.finish[0].task", "unknown task \"common/exec\""),
            new Broken("unparsable if", "spec.strategy.actions.finish[0].if", "CandidateWon() = true",
                "spec.strategy.actions.finish[0].if", "unexpected character '='"),
            new Broken("unknown action key", "spec.strategy.actions.finsh", ApiMapper.yaml().createArrayNode(),
                "spec.strategy.actions.finsh", "unknown action \"finsh\"; expected one of start, loop, finish, rollback, failure"),
            new Broken("intervalSeconds 0", "spec.duration.intervalSeconds", 0, "spec.duration.intervalSeconds", "must be at least 1, got 0"),
            new Broken("iterationsPerLoop negative", "spec.duration.iterationsPerLoop", -2, "spec.duration.iterationsPerLoop", "must be at least 1, got -2"),
            new Broken("maxLoops 0", "spec.duration.maxLoops", 0, "spec.duration.maxLoops", "must be at least 1, got 0"),
            new Broken("metric reference with two slashes", "spec.criteria.objectives[0].metric", "a/b/c",
                "spec.criteria.objectives[0].metric", "expected a metric reference 'name' or 'namespace/name'"),
            new Broken("requestCount in upper case", "spec.criteria.requestCount", "Iter8/Count",
                "spec.criteria.requestCount", "expected a metric reference"),
            // Null list entries ("objectives: [null]"): found by ExperimentFuzzTest, they threw instead of being reported.
            new Broken("null objective", "spec.criteria.objectives[0]", null, "spec.criteria.objectives[0]", "is required"),
            new Broken("null reward", "spec.criteria.rewards[0]", null, "spec.criteria.rewards[0]", "is required"),
            new Broken("null header match", "spec.routing.match[0].headers[0]", null, "spec.routing.match[0].headers[0]", "is required"),
            new Broken("objective without limits", "spec.criteria.objectives[0].upperLimit", null,
                "spec.criteria.objectives[0]", "needs an upperLimit, a lowerLimit or both"),
            new Broken("objective lower above upper", "spec.criteria.objectives[0].lowerLimit", "0.5",
                "spec.criteria.objectives[0]", "lowerLimit 0.5 is greater than upperLimit 0.01"),
            new Broken("limit not a quantity", "spec.criteria.objectives[0].upperLimit", "one percent",
                "spec.criteria.objectives[0].upperLimit", "expected a quantity such as 300, \"0.01\" or \"250m\", got \"one percent\""),
            new Broken("maxCandidateWeight above 100", "spec.strategy.weights.maxCandidateWeight", 101,
                "spec.strategy.weights.maxCandidateWeight", "must be between 0 and 100, got 101"),
            new Broken("negative increment", "spec.strategy.weights.maxCandidateWeightIncrement", -1,
                "spec.strategy.weights.maxCandidateWeightIncrement", "must be between 0 and 100, got -1"),
            new Broken("exploration floors above 100%", "spec.strategy.weights.explorationFloor", 60,
                "spec.strategy.weights.explorationFloor", "the floors of 2 versions would exceed 100%; at most 50 is possible, got 60"),
            new Broken("strength of 1", "spec.criteria.strength", 1.0, "spec.criteria.strength",
                "must be a probability greater than 0.5 and less than 1, got 1.0"),
            new Broken("strength of one half", "spec.criteria.strength", 0.5, "spec.criteria.strength", "greater than 0.5"),
            new Broken("consecutiveErrorLimit 0", "spec.criteria.consecutiveErrorLimit", 0,
                "spec.criteria.consecutiveErrorLimit", "must be at least 1, got 0"),
            new Broken("unknown router", "spec.routing.router", "Linkerd", "spec.routing.router",
                "unknown router \"Linkerd\"; expected one of Replicas, Istio, GatewayAPI, Knative, KServe, FieldPath"),
            new Broken("Istio router without a VirtualService", "spec.routing.router", "Istio", "spec.routing.objRef", "is required"),
            new Broken("DarkLaunch by replicas", "spec.strategy.deploymentPattern", "DarkLaunch", "spec.routing.router",
                "a DarkLaunch mirrors traffic to the candidate and needs router Istio or GatewayAPI, got none"),
            new Broken("mirrorPercent above 100", "spec.routing.mirrorPercent", 150, "spec.routing.mirrorPercent",
                "must be between 0 and 100, got 150"),
            new Broken("header match with two operators", "spec.routing.match[0].headers[0]",
                ApiMapper.yaml().createObjectNode().put("name", "x-user").put("exact", "a").put("prefix", "b"),
                "spec.routing.match[0].headers[0]", "exactly one of exact, prefix or regex must be set"),
            new Broken("header regex that does not compile", "spec.routing.match[0].headers[0]",
                ApiMapper.yaml().createObjectNode().put("name", "cookie").put("regex", "(user=beta"),
                "spec.routing.match[0].headers[0].regex", "is not a valid regular expression"),
            new Broken("cookie ttl not a duration", "spec.routing.sticky.httpCookie",
                ApiMapper.yaml().createObjectNode().put("name", "user").put("ttl", "an hour"),
                "spec.routing.sticky.httpCookie.ttl", "expected a duration such as 3600s or 1h"),
            new Broken("targetRef of a StatefulSet", "spec.targetRef",
                ApiMapper.yaml().createObjectNode().put("apiVersion", "apps/v1").put("kind", "StatefulSet").put("name", "db"),
                "spec.targetRef.kind", "expected Deployment (apps/v1), Service (serving.knative.dev/v1) or InferenceService"))
        .map(Arguments::of);
  }

  private static ObjectNode reward(String metric, String direction) {
    return ApiMapper.yaml().createObjectNode().put("metric", metric).put("preferredDirection", direction);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenExperiments")
  void brokenExperimentIsReportedAtTheFieldWithWhatWasExpected(Broken b) {
    ObjectNode doc = (ObjectNode) ApiMapper.yaml().valueToTree(ApiMapper.read(VALID, JsonNode.class));
    set(doc, b.path(), b.value());

    List<Problem> problems = ExperimentValidator.validate(ApiMapper.fromTree(doc, Experiment.class));

    assertThat(problems)
        .as("problems of: %s", b.description())
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(b.problemPath());
              if (b.message() != null) {
                assertThat(p.message()).contains(b.message());
              }
            });
  }

  @Test
  void everyProblemIsReportedAtOnceSortedByPath() {
    ObjectNode doc = (ObjectNode) ApiMapper.read(VALID, JsonNode.class);
    set(doc, "spec.strategy.testingPattern", "A/B");
    set(doc, "spec.duration.intervalSeconds", 0);
    set(doc, "spec.criteria.strength", 2.0);
    set(doc, "spec.versionInfo.candidates[0].name", "v1");
    set(doc, "spec.criteria.objectives[0].upperLimit", "lots");

    List<Problem> problems = ExperimentValidator.validate(ApiMapper.fromTree(doc, Experiment.class));

    assertThat(problems)
        .extracting(Problem::path)
        .containsExactly(
            "spec.criteria.objectives[0].upperLimit",
            "spec.criteria.rewards",
            "spec.criteria.strength",
            "spec.duration.intervalSeconds",
            "spec.versionInfo.candidates[0].name");
  }

  @Test
  void missingSectionsAreNamedWithoutFurtherNoise() {
    Experiment e = ApiMapper.read("{apiVersion: iter8.tools/v2alpha2, kind: Experiment, metadata: {name: e}, spec: {target: t}}", Experiment.class);

    assertThat(ExperimentValidator.validate(e))
        .extracting(Problem::toString)
        .containsExactly("spec.strategy: is required", "spec.versionInfo: is required");
  }

  @Test
  void oneVersionWithoutWeightObjRefIsAllowedAsTheOriginal() {
    ObjectNode doc = (ObjectNode) ApiMapper.read(VALID, JsonNode.class);
    set(doc, "spec.versionInfo.baseline.weightObjRef", null);

    assertThat(ExperimentValidator.validate(ApiMapper.fromTree(doc, Experiment.class))).isEmpty();
  }

  @Test
  void twoVersionsWithoutWeightObjRefCannotBeWeighted() {
    ObjectNode doc = (ObjectNode) ApiMapper.read(VALID, JsonNode.class);
    set(doc, "spec.versionInfo.baseline.weightObjRef", null);
    set(doc, "spec.versionInfo.candidates[0].weightObjRef", null);

    assertThat(ExperimentValidator.validate(ApiMapper.fromTree(doc, Experiment.class)))
        .extracting(Problem::toString)
        .containsExactly(
            "spec.versionInfo: at most one version may omit weightObjRef (its weight is 100 minus the"
                + " others); 2 do. Add weightObjRefs, or set spec.routing or spec.targetRef");
  }

  @Test
  void abnNeedsAtLeastOneCandidate() {
    ObjectNode doc = (ObjectNode) ApiMapper.read(VALID, JsonNode.class);
    set(doc, "spec.strategy.testingPattern", "A/B/N");
    set(doc, "spec.criteria.rewards[0]", reward("conversion-rate", "High"));
    set(doc, "spec.versionInfo.candidates", ApiMapper.yaml().createArrayNode());

    assertThat(ExperimentValidator.validate(ApiMapper.fromTree(doc, Experiment.class)))
        .extracting(Problem::toString)
        .containsExactly("spec.versionInfo.candidates: a A/B/N experiment needs at least 1 candidate, got 0");
  }

  @Test
  void fixedSplitNeedsNoWeightObjRefs() {
    ObjectNode doc = (ObjectNode) ApiMapper.read(VALID, JsonNode.class);
    set(doc, "spec.versionInfo.baseline.weightObjRef", null);
    set(doc, "spec.versionInfo.candidates[0].weightObjRef", null);
    set(doc, "spec.strategy.deploymentPattern", "FixedSplit");

    assertThat(ExperimentValidator.validate(ApiMapper.fromTree(doc, Experiment.class))).isEmpty();
  }

  @Test
  void paretoAcceptsSeveralRewardsAndCandidates() {
    ObjectNode doc = (ObjectNode) ApiMapper.read(VALID, JsonNode.class);
    set(doc, "spec.strategy.testingPattern", "Pareto");
    set(doc, "spec.criteria.rewards[0]", reward("conversion-rate", "High"));
    set(doc, "spec.criteria.rewards[1]", reward("cost-per-request", "Low"));
    set(doc, "spec.versionInfo.candidates[1]", ApiMapper.yaml().createObjectNode().put("name", "v3"));
    set(doc, "spec.routing.router", "Istio");
    set(doc, "spec.routing.objRef", ApiMapper.yaml().createObjectNode().put("name", "vs"));

    assertThat(ExperimentValidator.validate(ApiMapper.fromTree(doc, Experiment.class))).isEmpty();
  }

  /** Sets (or, with null, removes) the value at a dotted path with list indexes, creating parents. */
  static void set(ObjectNode root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonNode node = root;
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      String part = parts[i];
      Integer index = null;
      if (part.endsWith("]")) {
        index = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.length() - 1));
        part = part.substring(0, part.indexOf('['));
      }
      ObjectNode obj = (ObjectNode) node;
      if (index == null) {
        if (last) {
          if (value == null) {
            obj.remove(part);
          } else {
            obj.set(part, ApiMapper.yaml().valueToTree(value));
          }
          return;
        }
        node = obj.has(part) ? obj.get(part) : obj.putObject(part);
      } else {
        ArrayNode arr = obj.has(part) ? (ArrayNode) obj.get(part) : obj.putArray(part);
        while (arr.size() <= index) {
          arr.addObject();
        }
        if (last) {
          arr.set(index, ApiMapper.yaml().valueToTree(value));
          return;
        }
        node = arr.get(index);
      }
    }
  }
}
