package tools.iter8.core.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import tools.iter8.core.api.ActionKind;
import tools.iter8.core.api.Criteria;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.DurationSpec;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentSpec;
import tools.iter8.core.api.HeaderMatch;
import tools.iter8.core.api.Objective;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.PreferredDirection;
import tools.iter8.core.api.Quantity;
import tools.iter8.core.api.Reward;
import tools.iter8.core.api.RouteMatch;
import tools.iter8.core.api.Router;
import tools.iter8.core.api.Routing;
import tools.iter8.core.api.StickySessions;
import tools.iter8.core.api.Strategy;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.api.VersionInfo;
import tools.iter8.core.api.Weights;
import tools.iter8.core.defaults.ExperimentDefaults;
import tools.iter8.core.tasks.BuiltinTask;
import tools.iter8.core.tasks.TaskCondition;

/**
 * Checks an Experiment and reports every problem at once, each with its field path and what was
 * expected. It applies the original controller's rules (reference §4.5 and §4.6) at admission instead of
 * failing the experiment later, and ours (DESIGN §2): limits, weights, strength, routing.
 *
 * <p>The experiment is validated with its defaults applied, so an absent field is judged by the value
 * the agent will use.
 */
public final class ExperimentValidator {

  private ExperimentValidator() {}

  public static List<Problem> validate(Experiment raw) {
    Problems p = new Problems();
    if (raw.apiVersion() != null && !Experiment.API_VERSION.equals(raw.apiVersion())) {
      p.add("apiVersion", "must be " + Experiment.API_VERSION + ", got \"" + raw.apiVersion() + "\"");
    }
    if (raw.kind() != null && !Experiment.KIND.equals(raw.kind())) {
      p.add("kind", "must be " + Experiment.KIND + ", got \"" + raw.kind() + "\"");
    }
    if (raw.metadata() == null
        || ((raw.metadata().name() == null || raw.metadata().name().isBlank())
            && raw.metadata().generateName() == null)) {
      p.add("metadata.name", "is required");
    }
    if (p.required("spec", raw.spec())) {
      spec(p, ExperimentDefaults.apply(raw).spec());
    }
    return p.sorted();
  }

  private static void spec(Problems p, ExperimentSpec spec) {
    p.required("spec.target", spec.target());
    Optional<TestingPattern> testing = Optional.empty();
    Optional<DeploymentPattern> deployment = Optional.empty();
    if (p.required("spec.strategy", spec.strategy())) {
      Strategy s = spec.strategy();
      if (p.required("spec.strategy.testingPattern", s.testingPattern())) {
        testing = TestingPattern.parse(s.testingPattern());
        if (testing.isEmpty()) {
          p.add(
              "spec.strategy.testingPattern",
              "unknown testing pattern \"" + s.testingPattern() + "\"; expected one of "
                  + TestingPattern.allowed());
        }
      }
      deployment = DeploymentPattern.parse(s.deploymentPattern());
      if (deployment.isEmpty()) {
        p.add(
            "spec.strategy.deploymentPattern",
            "unknown deployment pattern \"" + s.deploymentPattern() + "\"; expected one of "
                + DeploymentPattern.allowed());
      }
      actions(p, s.actions());
    }
    int versions = versionInfo(p, spec, testing, deployment);
    if (spec.strategy() != null) {
      weights(p, spec.strategy().weights(), versions);
    }
    criteria(p, spec.criteria(), testing);
    duration(p, spec.duration());
    if (spec.targetRef() != null) {
      targetRef(p, spec.targetRef());
    }
    routing(p, spec.routing(), deployment);
  }

  private static int versionInfo(
      Problems p,
      ExperimentSpec spec,
      Optional<TestingPattern> testing,
      Optional<DeploymentPattern> deployment) {
    VersionInfo vi = spec.versionInfo();
    if (!p.required("spec.versionInfo", vi)) {
      return 0;
    }
    if (p.required("spec.versionInfo.baseline", vi.baseline())) {
      version(p, "spec.versionInfo.baseline", vi.baseline());
    }
    List<VersionDetail> candidates = vi.candidates() == null ? List.of() : vi.candidates();
    for (int i = 0; i < candidates.size(); i++) {
      version(p, "spec.versionInfo.candidates[" + i + "]", candidates.get(i));
    }
    testing.ifPresent(t -> candidateCount(p, t, candidates.size()));

    Set<String> seen = new HashSet<>();
    List<VersionDetail> all = vi.all();
    for (int i = 0; i < all.size(); i++) {
      String name = all.get(i) == null ? null : all.get(i).name();
      if (name != null && !seen.add(name)) {
        p.add(
            i == 0 ? "spec.versionInfo.baseline.name" : "spec.versionInfo.candidates[" + (i - 1) + "].name",
            "version names must be unique; \"" + name + "\" appears more than once");
      }
    }

    // The original reads each version's weight back through its weightObjRef and computes at most one
    // missing weight as 100 - sum (§4.6); with two or more missing it failed at run time.
    boolean routedElsewhere = spec.routing() != null || spec.targetRef() != null;
    boolean movesWeights =
        testing.map(t -> t != TestingPattern.CONFORMANCE).orElse(false)
            && deployment.map(d -> d != DeploymentPattern.FIXED_SPLIT).orElse(false);
    long missing = all.stream().filter(v -> v != null && v.weightObjRef() == null).count();
    if (!routedElsewhere && movesWeights && missing > 1) {
      p.add(
          "spec.versionInfo",
          "at most one version may omit weightObjRef (its weight is 100 minus the others); "
              + missing + " do. Add weightObjRefs, or set spec.routing or spec.targetRef");
    }
    return all.size();
  }

  private static void candidateCount(Problems p, TestingPattern t, int n) {
    String expected =
        switch (t) {
          case CONFORMANCE -> n == 0 ? null : "no candidates";
          case CANARY, AB -> n == 1 ? null : "exactly 1 candidate";
          case ABN, PARETO -> n >= 1 ? null : "at least 1 candidate";
        };
    if (expected != null) {
      p.add(
          "spec.versionInfo.candidates",
          "a " + t.wireName() + " experiment needs " + expected + ", got " + n);
    }
  }

  private static void version(Problems p, String path, VersionDetail v) {
    if (v == null) {
      p.add(path, "is required");
      return;
    }
    p.required(path + ".name", v.name());
    if (v.variables() != null) {
      for (int i = 0; i < v.variables().size(); i++) {
        if (p.required(path + ".variables[" + i + "]", v.variables().get(i))) {
          p.required(path + ".variables[" + i + "].name", v.variables().get(i).name());
        }
      }
    }
    ObjectReference ref = v.weightObjRef();
    if (ref != null) {
      String at = path + ".weightObjRef";
      p.required(at + ".apiVersion", ref.apiVersion());
      p.required(at + ".kind", ref.kind());
      p.required(at + ".name", ref.name());
      if (p.required(at + ".fieldPath", ref.fieldPath())) {
        if (!ref.fieldPath().startsWith(".")) {
          p.add(at + ".fieldPath", "must start with '.', got \"" + ref.fieldPath() + "\"");
        } else if (!References.FIELD_PATH.matcher(ref.fieldPath()).matches()) {
          p.add(
              at + ".fieldPath",
              "expected field names and list indexes such as .spec.http[0].route[1].weight, got \""
                  + ref.fieldPath() + "\"");
        }
      }
    }
  }

  private static void actions(Problems p, Map<String, List<TaskSpec>> actions) {
    if (actions == null) {
      return;
    }
    actions.forEach(
        (key, tasks) -> {
          String at = "spec.strategy.actions." + key;
          if (ActionKind.parse(key).isEmpty()) {
            p.add(at, "unknown action \"" + key + "\"; expected one of " + ActionKind.allowed());
          }
          if (tasks == null) {
            return;
          }
          for (int i = 0; i < tasks.size(); i++) {
            task(p, at + "[" + i + "]", tasks.get(i));
          }
        });
  }

  private static void task(Problems p, String at, TaskSpec t) {
    if (t == null) {
      p.add(at, "is required");
      return;
    }
    boolean hasTask = t.task() != null && !t.task().isBlank();
    boolean hasRun = t.run() != null && !t.run().isBlank();
    if (hasTask == hasRun) {
      p.add(at, "exactly one of task or run must be set");
    }
    if (hasTask && BuiltinTask.parse(t.task()).isEmpty()) {
      p.add(at + ".task", "unknown task \"" + t.task() + "\"; expected one of " + BuiltinTask.allowed());
    }
    try {
      TaskCondition.parse(t.condition());
    } catch (TaskCondition.SyntaxException e) {
      p.add(at + ".if", e.getMessage());
    }
  }

  private static void weights(Problems p, Weights w, int versions) {
    if (w == null) {
      return;
    }
    String at = "spec.strategy.weights";
    p.range(at + ".maxCandidateWeight", w.maxCandidateWeight(), 0, 100);
    p.range(at + ".maxCandidateWeightIncrement", w.maxCandidateWeightIncrement(), 0, 100);
    p.range(at + ".explorationFloor", w.explorationFloor(), 0, 100);
    Integer floor = w.explorationFloor();
    if (floor != null && floor >= 0 && floor <= 100 && versions > 0 && floor * versions > 100) {
      p.add(
          at + ".explorationFloor",
          "the floors of " + versions + " versions would exceed 100%; at most " + 100 / versions
              + " is possible, got " + floor);
    }
  }

  private static void criteria(Problems p, Criteria c, Optional<TestingPattern> testing) {
    int rewards = c == null || c.rewards() == null ? 0 : c.rewards().size();
    testing.ifPresent(t -> rewardCount(p, t, rewards));
    if (c == null) {
      return;
    }
    metricRef(p, "spec.criteria.requestCount", c.requestCount());
    if (c.rewards() != null) {
      for (int i = 0; i < c.rewards().size(); i++) {
        Reward r = c.rewards().get(i);
        String at = "spec.criteria.rewards[" + i + "]";
        if (!p.required(at, r)) {
          continue;
        }
        if (p.required(at + ".metric", r.metric())) {
          metricRef(p, at + ".metric", r.metric());
        }
        if (p.required(at + ".preferredDirection", r.preferredDirection())
            && PreferredDirection.parse(r.preferredDirection()).isEmpty()) {
          p.add(
              at + ".preferredDirection",
              "must be High or Low, got \"" + r.preferredDirection() + "\"");
        }
      }
    }
    if (c.indicators() != null) {
      for (int i = 0; i < c.indicators().size(); i++) {
        metricRef(p, "spec.criteria.indicators[" + i + "]", c.indicators().get(i));
      }
    }
    if (c.objectives() != null) {
      for (int i = 0; i < c.objectives().size(); i++) {
        objective(p, "spec.criteria.objectives[" + i + "]", c.objectives().get(i));
      }
    }
    Double strength = c.strength();
    if (strength != null && !(strength > 0.5 && strength < 1.0)) {
      p.add(
          "spec.criteria.strength",
          "must be a probability greater than 0.5 and less than 1, got " + strength);
    }
    p.atLeast("spec.criteria.minSampleSize", c.minSampleSize(), 0);
    p.atLeast("spec.criteria.consecutiveErrorLimit", c.consecutiveErrorLimit(), 1);
  }

  private static void rewardCount(Problems p, TestingPattern t, int n) {
    String expected =
        switch (t) {
          case CONFORMANCE, CANARY -> n == 0 ? null : "no rewards";
          case AB, ABN -> n == 1 ? null : "exactly 1 reward";
          case PARETO -> n >= 1 ? null : "at least 1 reward";
        };
    if (expected != null) {
      p.add(
          "spec.criteria.rewards",
          "a " + t.wireName() + " experiment needs " + expected + ", got " + n);
    }
  }

  private static void objective(Problems p, String at, Objective o) {
    if (!p.required(at, o)) {
      return;
    }
    if (p.required(at + ".metric", o.metric())) {
      metricRef(p, at + ".metric", o.metric());
    }
    if (o.upperLimit() == null && o.lowerLimit() == null) {
      p.add(at, "needs an upperLimit, a lowerLimit or both");
    }
    boolean upperOk = quantity(p, at + ".upperLimit", o.upperLimit());
    boolean lowerOk = quantity(p, at + ".lowerLimit", o.lowerLimit());
    if (upperOk && lowerOk && o.upperLimit() != null && o.lowerLimit() != null
        && o.lowerLimit().decimal().get().compareTo(o.upperLimit().decimal().get()) > 0) {
      p.add(
          at,
          "lowerLimit " + o.lowerLimit() + " is greater than upperLimit " + o.upperLimit()
              + "; no value could meet this objective");
    }
  }

  private static boolean quantity(Problems p, String at, Quantity q) {
    if (q == null) {
      return true;
    }
    if (!q.isValid()) {
      p.add(at, "expected a quantity such as 300, \"0.01\" or \"250m\", got \"" + q.text() + "\"");
      return false;
    }
    return true;
  }

  private static void metricRef(Problems p, String at, String ref) {
    if (ref != null && !References.isMetricRef(ref)) {
      p.add(at, References.METRIC_REF_EXPECTED + ", got \"" + ref + "\"");
    }
  }

  private static void duration(Problems p, DurationSpec d) {
    if (d == null) {
      return;
    }
    p.atLeast("spec.duration.intervalSeconds", d.intervalSeconds(), 1);
    p.atLeast("spec.duration.iterationsPerLoop", d.iterationsPerLoop(), 1);
    p.atLeast("spec.duration.maxLoops", d.maxLoops(), 1);
  }

  private static void targetRef(Problems p, ObjectReference ref) {
    String at = "spec.targetRef";
    p.required(at + ".name", ref.name());
    if (p.required(at + ".kind", ref.kind())) {
      Set<String> kinds = Set.of("Deployment", "Service", "InferenceService");
      if (!kinds.contains(ref.kind())) {
        p.add(
            at + ".kind",
            "expected Deployment (apps/v1), Service (serving.knative.dev/v1) or InferenceService"
                + " (serving.kserve.io/v1beta1), got \"" + ref.kind() + "\"");
      }
    }
    p.required(at + ".apiVersion", ref.apiVersion());
  }

  private static void routing(Problems p, Routing r, Optional<DeploymentPattern> deployment) {
    boolean darkLaunch = deployment.map(d -> d == DeploymentPattern.DARK_LAUNCH).orElse(false);
    Optional<Router> router = r == null ? Optional.empty() : Router.parse(r.router());
    if (r != null && r.router() != null && router.isEmpty()) {
      p.add(
          "spec.routing.router",
          "unknown router \"" + r.router() + "\"; expected one of " + Router.allowed());
    }
    boolean mirrors = router.map(Router::canMirror).orElse(false);
    if (darkLaunch && !mirrors) {
      p.add(
          "spec.routing.router",
          "a DarkLaunch mirrors traffic to the candidate and needs router Istio or GatewayAPI, got "
              + router.map(Router::wireName).map(s -> "\"" + s + "\"").orElse("none"));
    }
    if (r == null) {
      return;
    }
    if (router.map(Router::needsObjRef).orElse(false)) {
      if (p.required("spec.routing.objRef", r.objRef())) {
        p.required("spec.routing.objRef.name", r.objRef().name());
      }
    }
    p.range("spec.routing.mirrorPercent", r.mirrorPercent(), 0, 100);
    if (r.match() != null && !r.match().isEmpty()) {
      if (router.isPresent() && !router.get().canMatch()) {
        p.add(
            "spec.routing.match",
            "request routing needs router Istio or GatewayAPI, got \"" + router.get().wireName() + "\"");
      }
      for (int i = 0; i < r.match().size(); i++) {
        routeMatch(p, "spec.routing.match[" + i + "]", r.match().get(i));
      }
    }
    if (r.sticky() != null) {
      sticky(p, r.sticky(), router);
    }
  }

  private static void routeMatch(Problems p, String at, RouteMatch m) {
    if (m == null || m.headers() == null || m.headers().isEmpty()) {
      p.add(at + ".headers", "needs at least one header condition");
      return;
    }
    for (int j = 0; j < m.headers().size(); j++) {
      HeaderMatch h = m.headers().get(j);
      String hat = at + ".headers[" + j + "]";
      if (!p.required(hat, h)) {
        continue;
      }
      p.required(hat + ".name", h.name());
      int set = (h.exact() != null ? 1 : 0) + (h.prefix() != null ? 1 : 0) + (h.regex() != null ? 1 : 0);
      if (set != 1) {
        p.add(hat, "exactly one of exact, prefix or regex must be set");
      }
      if (h.regex() != null) {
        try {
          java.util.regex.Pattern.compile(h.regex());
        } catch (PatternSyntaxException e) {
          p.add(hat + ".regex", "is not a valid regular expression: " + e.getDescription());
        }
      }
    }
  }

  private static void sticky(Problems p, StickySessions s, Optional<Router> router) {
    String at = "spec.routing.sticky";
    if ((s.httpHeaderName() == null) == (s.httpCookie() == null)) {
      p.add(at, "exactly one of httpHeaderName or httpCookie must be set");
    }
    if (s.httpCookie() != null) {
      p.required(at + ".httpCookie.name", s.httpCookie().name());
      String ttl = s.httpCookie().ttl();
      if (ttl != null && !References.GO_DURATION.matcher(ttl).matches()) {
        p.add(at + ".httpCookie.ttl", "expected a duration such as 3600s or 1h, got \"" + ttl + "\"");
      }
    }
    if (router.isPresent() && router.get() != Router.ISTIO) {
      p.add(at, "sticky sessions need router Istio (a DestinationRule consistent hash), got \""
          + router.get().wireName() + "\"");
    }
  }
}
