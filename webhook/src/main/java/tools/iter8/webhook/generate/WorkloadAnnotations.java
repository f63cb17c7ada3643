package tools.iter8.webhook.generate;

import static tools.iter8.core.workload.WorkloadKeys.DEPLOYMENT_PATTERN;
import static tools.iter8.core.workload.WorkloadKeys.INTERVAL;
import static tools.iter8.core.workload.WorkloadKeys.ITERATIONS;
import static tools.iter8.core.workload.WorkloadKeys.MAX_CANDIDATE_WEIGHT;
import static tools.iter8.core.workload.WorkloadKeys.MAX_CANDIDATE_WEIGHT_INCREMENT;
import static tools.iter8.core.workload.WorkloadKeys.METRICS;
import static tools.iter8.core.workload.WorkloadKeys.OBJECTIVES;
import static tools.iter8.core.workload.WorkloadKeys.RETRY;
import static tools.iter8.core.workload.WorkloadKeys.REWARDS;
import static tools.iter8.core.workload.WorkloadKeys.ROUTER;
import static tools.iter8.core.workload.WorkloadKeys.STRENGTH;
import static tools.iter8.core.workload.WorkloadKeys.TEMPLATE;
import static tools.iter8.core.workload.WorkloadKeys.TESTING_PATTERN;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.PreferredDirection;
import tools.iter8.core.api.Quantity;
import tools.iter8.core.api.Router;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.core.defaults.ExperimentDefaults;
import tools.iter8.core.validation.Problem;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.webhook.generate.WorkloadSettings.ObjectiveSetting;
import tools.iter8.webhook.generate.WorkloadSettings.RewardSetting;

/**
 * Reads the {@code iter8.tools/} annotations of a labeled workload (DESIGN §2.2, {@code docs/workloads.md})
 * into {@link WorkloadSettings}, and reports every unknown key and every bad value at once, each with the
 * annotation it is about and what was expected, so a user fixes a manifest (or Helm values) in one pass.
 * Nothing is silently ignored. Pure.
 */
public final class WorkloadAnnotations {
  /** The built-in metric sets ({@code iter8.tools/metrics}). */
  public static final List<String> METRIC_SETS = List.of("istio", "knative", "kserve", "http");

  /** Max candidate weight with the replicas router: half the pods, so the baseline keeps serving. */
  public static final int REPLICAS_MAX_CANDIDATE_WEIGHT = 50;

  /** The objective of a workload that names none. */
  public static final ObjectiveSetting DEFAULT_OBJECTIVE = new ObjectiveSetting("error-rate", "0.01", null);

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern METRIC_REF =
      Pattern.compile("(" + DNS_LABEL.pattern() + "/)?" + DNS_SUBDOMAIN.pattern());
  private static final Pattern OBJECTIVE = Pattern.compile("\\s*([^<>=\\s]+)\\s*(<=|>=)\\s*(\\S+)\\s*");
  private static final Pattern DURATION = Pattern.compile("(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?");
  private static final Pattern INTEGER = Pattern.compile("[0-9]+");

  private WorkloadAnnotations() {}

  /** The settings, or every problem found. */
  public record Result(WorkloadSettings settings, List<Problem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Parses the annotations of a workload of {@code kind}. Keys outside {@code iter8.tools/} are not
   * looked at; iter8's own state annotations ({@link WorkloadKeys#STATE_ANNOTATIONS}) are allowed.
   */
  public static Result parse(WorkloadKind kind, Map<String, String> annotations) {
    Parser p = new Parser(kind, annotations == null ? Map.of() : annotations);
    return p.parse();
  }

  /** The user-settable iter8 annotations of a map, for comparing two versions of an object. */
  public static Map<String, String> userAnnotations(Map<String, String> annotations) {
    Map<String, String> user = new LinkedHashMap<>();
    if (annotations != null) {
      annotations.forEach((k, v) -> {
        if (WorkloadKeys.isIter8(k) && !WorkloadKeys.STATE_ANNOTATIONS.contains(k)) {
          user.put(k, v);
        }
      });
    }
    return user;
  }

  private static final class Parser {
    private final WorkloadKind kind;
    private final Map<String, String> annotations;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> given = new TreeSet<>();

    Parser(WorkloadKind kind, Map<String, String> annotations) {
      this.kind = kind;
      this.annotations = annotations;
    }

    Result parse() {
      unknownKeys();
      TestingPattern testing =
          enumValue(TESTING_PATTERN, TestingPattern::parse, TestingPattern.allowed()).orElse(TestingPattern.CANARY);
      DeploymentPattern deployment =
          enumValue(DEPLOYMENT_PATTERN, DeploymentPattern::parse, DeploymentPattern.allowed())
              .orElse(DeploymentPattern.PROGRESSIVE);
      RouterChoice router = router();
      String metricSet =
          enumValue(METRICS, s -> METRIC_SETS.contains(s) ? Optional.of(s) : Optional.empty(),
                  String.join(", ", METRIC_SETS))
              .orElse(defaultMetricSet(router.router()));
      List<ObjectiveSetting> objectives = objectives().orElse(List.of(DEFAULT_OBJECTIVE));
      List<RewardSetting> rewards = rewards().orElse(List.of());
      int interval = interval().orElse(ExperimentDefaults.INTERVAL_SECONDS);
      int iterations = integer(ITERATIONS, 1, 10_000).orElse(ExperimentDefaults.ITERATIONS_PER_LOOP);
      int maxWeight =
          integer(MAX_CANDIDATE_WEIGHT, 0, 100)
              .orElse(router.router() == Router.REPLICAS
                  ? REPLICAS_MAX_CANDIDATE_WEIGHT
                  : ExperimentDefaults.MAX_CANDIDATE_WEIGHT);
      int increment =
          integer(MAX_CANDIDATE_WEIGHT_INCREMENT, 0, 100).orElse(ExperimentDefaults.MAX_CANDIDATE_WEIGHT_INCREMENT);
      double strength = strength().orElse(ExperimentDefaults.STRENGTH);
      String template = template();
      String retry = annotations.get(RETRY);
      if (retry != null) {
        given.add(RETRY);
      }
      combinations(testing, deployment, router, rewards);
      WorkloadSettings settings =
          new WorkloadSettings(
              testing,
              deployment,
              metricSet,
              objectives,
              rewards,
              interval,
              iterations,
              maxWeight,
              increment,
              strength,
              router.router(),
              router.object(),
              template,
              retry,
              given);
      return new Result(settings, problems.stream().sorted().toList());
    }

    private void problem(String key, String message) {
      problems.add(new Problem(key, message));
    }

    private String value(String key) {
      String v = annotations.get(key);
      return v == null ? null : v.trim();
    }

    private void unknownKeys() {
      for (String key : annotations.keySet()) {
        if (!WorkloadKeys.isIter8(key)
            || WorkloadKeys.USER_ANNOTATIONS.contains(key)
            || WorkloadKeys.STATE_ANNOTATIONS.contains(key)) {
          continue;
        }
        if (key.equals(WorkloadKeys.WATCH_LABEL)) {
          problem(key, "is a label, not an annotation: set metadata.labels[\"iter8.tools/watch\"]: \"true\"");
        } else {
          problem(
              key,
              "unknown annotation; iter8 understands "
                  + WorkloadKeys.USER_ANNOTATIONS.stream()
                      .map(k -> k.substring(WorkloadKeys.PREFIX.length()))
                      .collect(Collectors.joining(", ")));
        }
      }
    }

    private <T> Optional<T> enumValue(
        String key, java.util.function.Function<String, Optional<T>> parse, String allowed) {
      String v = value(key);
      if (v == null) {
        return Optional.empty();
      }
      Optional<T> parsed = parse.apply(v);
      if (parsed.isEmpty()) {
        problem(key, "expected one of " + allowed + ", got \"" + v + "\"");
      } else {
        given.add(key);
      }
      return parsed;
    }

    private Optional<Integer> integer(String key, int min, int max) {
      String v = value(key);
      if (v == null) {
        return Optional.empty();
      }
      if (INTEGER.matcher(v).matches() && v.length() <= 9) {
        int i = Integer.parseInt(v);
        if (i >= min && i <= max) {
          given.add(key);
          return Optional.of(i);
        }
      }
      problem(key, "expected a whole number from " + min + " to " + max + ", got \"" + v + "\"");
      return Optional.empty();
    }

    private Optional<Integer> interval() {
      String v = value(INTERVAL);
      if (v == null) {
        return Optional.empty();
      }
      long seconds = -1;
      if (INTEGER.matcher(v).matches() && v.length() <= 9) {
        seconds = Long.parseLong(v);
      } else {
        Matcher m = DURATION.matcher(v);
        if (m.matches() && (m.group(1) != null || m.group(2) != null || m.group(3) != null)) {
          seconds = part(m.group(1)) * 3600 + part(m.group(2)) * 60 + part(m.group(3));
        }
      }
      if (seconds < 1 || seconds > 86_400) {
        problem(
            INTERVAL,
            "expected seconds (30) or a duration (30s, 1m, 1m30s) from 1s to 24h, got \"" + v + "\"");
        return Optional.empty();
      }
      given.add(INTERVAL);
      return Optional.of((int) seconds);
    }

    /** A number of units; absurdly long ones become a value that fails the range check. */
    private static long part(String digits) {
      if (digits == null) {
        return 0;
      }
      return digits.length() > 6 ? 1_000_000_000L : Long.parseLong(digits);
    }

    private Optional<Double> strength() {
      String v = value(STRENGTH);
      if (v == null) {
        return Optional.empty();
      }
      try {
        BigDecimal d = new BigDecimal(v);
        if (d.compareTo(new BigDecimal("0.5")) > 0 && d.compareTo(BigDecimal.ONE) < 0) {
          given.add(STRENGTH);
          return Optional.of(d.doubleValue());
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problem(STRENGTH, "expected a probability between 0.5 and 1 (exclusive), e.g. 0.95, got \"" + v + "\"");
      return Optional.empty();
    }

    private record RouterChoice(Router router, String object) {}

    private RouterChoice router() {
      Router byKind =
          switch (kind) {
            case DEPLOYMENT -> Router.REPLICAS;
            case KNATIVE_SERVICE -> Router.KNATIVE;
            case INFERENCE_SERVICE -> Router.KSERVE;
          };
      String v = value(ROUTER);
      if (v == null) {
        return new RouterChoice(byKind, null);
      }
      if (kind != WorkloadKind.DEPLOYMENT) {
        problem(
            ROUTER,
            "applies to Deployments only; a " + kind.kind() + " (" + kind.apiVersion() + ") is routed by "
                + (kind == WorkloadKind.KNATIVE_SERVICE ? "its spec.traffic" : "spec.predictor.canaryTrafficPercent")
                + ", got \"" + v + "\"");
        return new RouterChoice(byKind, null);
      }
      if (v.equals("replicas")) {
        given.add(ROUTER);
        return new RouterChoice(Router.REPLICAS, null);
      }
      int slash = v.indexOf('/');
      String type = slash < 0 ? v : v.substring(0, slash);
      String name = slash < 0 ? "" : v.substring(slash + 1);
      Router r = type.equals("istio") ? Router.ISTIO : type.equals("gateway") ? Router.GATEWAY_API : null;
      if (r == null || !DNS_SUBDOMAIN.matcher(name).matches()) {
        problem(
            ROUTER,
            "expected replicas, istio/<virtualservice> or gateway/<httproute> (a resource name in the"
                + " workload's namespace), got \"" + v + "\"");
        return new RouterChoice(byKind, null);
      }
      given.add(ROUTER);
      return new RouterChoice(r, name);
    }

    private String defaultMetricSet(Router router) {
      return switch (router) {
        case KNATIVE -> "knative";
        case KSERVE -> "kserve";
        case ISTIO -> "istio";
        default -> "http";
      };
    }

    private Optional<List<ObjectiveSetting>> objectives() {
      String v = value(OBJECTIVES);
      if (v == null) {
        return Optional.empty();
      }
      Map<String, String[]> byMetric = new LinkedHashMap<>();
      boolean ok = true;
      String[] items = v.split(",", -1);
      for (String item : items) {
        Matcher m = OBJECTIVE.matcher(item);
        if (!m.matches()) {
          problem(
              OBJECTIVES,
              "expected a comma list of <metric><=<limit> or <metric>>=<limit>, e.g."
                  + " error-rate<=0.01,latency-p95<=300; \"" + item.trim() + "\" is not one");
          ok = false;
          continue;
        }
        String metric = m.group(1);
        String limit = m.group(3);
        if (!metricRef(OBJECTIVES, metric)) {
          ok = false;
        }
        if (!Quantity.of(limit).isValid()) {
          problem(OBJECTIVES, "the limit of " + metric + " must be a number such as 0.01, 300 or 250m, got \"" + limit + "\"");
          ok = false;
        }
        String[] bounds = byMetric.computeIfAbsent(metric, k -> new String[2]);
        int slot = m.group(2).equals("<=") ? 0 : 1;
        if (bounds[slot] != null) {
          problem(OBJECTIVES, metric + " has two " + (slot == 0 ? "upper" : "lower") + " limits; keep one");
          ok = false;
        }
        bounds[slot] = limit;
      }
      if (!ok) {
        return Optional.empty();
      }
      for (Map.Entry<String, String[]> e : byMetric.entrySet()) {
        String[] b = e.getValue();
        if (b[0] != null && b[1] != null
            && Quantity.of(b[1]).decimal().get().compareTo(Quantity.of(b[0]).decimal().get()) > 0) {
          problem(OBJECTIVES, e.getKey() + ">=" + b[1] + " and " + e.getKey() + "<=" + b[0] + " cannot both be met");
          return Optional.empty();
        }
      }
      given.add(OBJECTIVES);
      return Optional.of(
          byMetric.entrySet().stream()
              .map(e -> new ObjectiveSetting(e.getKey(), e.getValue()[0], e.getValue()[1]))
              .toList());
    }

    private Optional<List<RewardSetting>> rewards() {
      String v = value(REWARDS);
      if (v == null) {
        return Optional.empty();
      }
      List<RewardSetting> rewards = new ArrayList<>();
      Set<String> seen = new TreeSet<>();
      boolean ok = true;
      for (String item : v.split(",", -1)) {
        String s = item.trim();
        int colon = s.lastIndexOf(':');
        Optional<PreferredDirection> dir =
            colon < 0 ? Optional.empty() : PreferredDirection.parse(s.substring(colon + 1).trim());
        if (dir.isEmpty()) {
          problem(
              REWARDS,
              "expected a comma list of <metric>:High or <metric>:Low, e.g. conversion-rate:High; \"" + s
                  + "\" is not one");
          ok = false;
          continue;
        }
        String metric = s.substring(0, colon).trim();
        if (!metricRef(REWARDS, metric)) {
          ok = false;
          continue;
        }
        if (!seen.add(metric)) {
          problem(REWARDS, metric + " appears more than once");
          ok = false;
        }
        rewards.add(new RewardSetting(metric, dir.get()));
      }
      if (!ok) {
        return Optional.empty();
      }
      given.add(REWARDS);
      return Optional.of(rewards);
    }

    private boolean metricRef(String key, String metric) {
      if (METRIC_REF.matcher(metric).matches()) {
        return true;
      }
      problem(
          key,
          "metric \"" + metric + "\" must be a built-in metric name such as error-rate, or namespace/name of a"
              + " Metric (lower-case DNS names)");
      return false;
    }

    private String template() {
      String v = value(TEMPLATE);
      if (v == null) {
        return null;
      }
      if (!DNS_SUBDOMAIN.matcher(v).matches()) {
        problem(TEMPLATE, "expected the name of an Experiment in the workload's namespace, got \"" + v + "\"");
        return null;
      }
      given.add(TEMPLATE);
      return v;
    }

    /** Rules that involve two annotations, reported on the one to change. */
    private void combinations(
        TestingPattern testing, DeploymentPattern deployment, RouterChoice router, List<RewardSetting> rewards) {
      boolean unparsed =
          problems.stream().anyMatch(p -> p.path().equals(REWARDS) || p.path().equals(TESTING_PATTERN));
      if (!unparsed) {
        int n = rewards.size();
        String need =
            switch (testing) {
              case CANARY, CONFORMANCE -> n == 0 ? null : "uses no rewards; remove iter8.tools/rewards or set"
                  + " iter8.tools/testing-pattern to A/B, A/B/N or Pareto";
              case AB, ABN -> n == 1 ? null : "needs exactly one reward in iter8.tools/rewards, e.g. conversion-rate:High";
              case PARETO -> n >= 1 ? null : "needs at least one reward in iter8.tools/rewards, e.g. conversion-rate:High";
            };
        if (need != null) {
          problem(n == 0 ? TESTING_PATTERN : REWARDS, "testing pattern " + testing.wireName() + " " + need);
        }
      }
      if (deployment == DeploymentPattern.DARK_LAUNCH && !router.router().canMirror()) {
        problem(
            DEPLOYMENT_PATTERN,
            "DarkLaunch mirrors traffic to the candidate and needs iter8.tools/router istio/<virtualservice> or"
                + " gateway/<httproute>" + (kind == WorkloadKind.DEPLOYMENT ? "" : ", which only Deployments have"));
      }
    }
  }
}
