package tools.iter8.agent.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.RouteMatch;
import tools.iter8.core.api.Routing;
import tools.iter8.core.api.StickySessions;
import tools.iter8.core.api.VersionDetail;

/**
 * The parts of an Experiment that routers and workload handlers read, with the defaults they need and a
 * {@link RoutingException} naming the field when a required one is missing. Validation (core) rejects
 * such experiments earlier; these checks keep a hand-edited or half-defaulted one from failing with a
 * NullPointerException deep inside a patch.
 */
public final class Experiments {
  /** The share of baseline traffic mirrored in a DarkLaunch when {@code spec.routing.mirrorPercent} is unset. */
  public static final int DEFAULT_MIRROR_PERCENT = 100;

  private Experiments() {}

  /** {@code namespace/name}, for messages and log lines. */
  public static String key(Experiment e) {
    return e.metadata().key();
  }

  public static String name(Experiment e) {
    return e.metadata().name();
  }

  public static String namespace(Experiment e) {
    return e.metadata().namespace();
  }

  /** Baseline first, then candidates, as in every per-version list in status. */
  public static List<VersionDetail> versions(Experiment e) {
    if (e.spec() == null || e.spec().versionInfo() == null || e.spec().versionInfo().baseline() == null) {
      throw new RoutingException("experiment " + key(e) + " has no spec.versionInfo.baseline");
    }
    return e.spec().versionInfo().all();
  }

  public static VersionDetail baseline(Experiment e) {
    return versions(e).get(0);
  }

  public static List<VersionDetail> candidates(Experiment e) {
    List<VersionDetail> all = versions(e);
    return all.subList(1, all.size());
  }

  /** The candidate of a router or handler that serves exactly one. */
  public static VersionDetail onlyCandidate(Experiment e, String who) {
    List<VersionDetail> candidates = candidates(e);
    if (candidates.size() != 1) {
      throw new RoutingException(
          who + " routes between a baseline and exactly one candidate; experiment " + key(e) + " has "
              + candidates.size() + " candidates");
    }
    return candidates.get(0);
  }

  public static Optional<String> variable(VersionDetail v, String name) {
    if (v.variables() == null) {
      return Optional.empty();
    }
    return v.variables().stream()
        .filter(nv -> name.equals(nv.name()) && nv.value() != null && !nv.value().isEmpty())
        .map(NamedValue::value)
        .findFirst();
  }

  public static String requireVariable(Experiment e, VersionDetail v, String name) {
    return variable(v, name)
        .orElseThrow(
            () ->
                new RoutingException(
                    "version " + v.name() + " of experiment " + key(e) + " has no variable \"" + name + "\""));
  }

  /** {@code spec.strategy.deploymentPattern}, Progressive when unset or unknown (validation reports unknown ones). */
  public static DeploymentPattern deploymentPattern(Experiment e) {
    String wire = e.spec() == null || e.spec().strategy() == null ? null : e.spec().strategy().deploymentPattern();
    return DeploymentPattern.parse(wire).orElse(DeploymentPattern.PROGRESSIVE);
  }

  public static boolean isDarkLaunch(Experiment e) {
    return deploymentPattern(e) == DeploymentPattern.DARK_LAUNCH;
  }

  public static Optional<Routing> routing(Experiment e) {
    return Optional.ofNullable(e.spec() == null ? null : e.spec().routing());
  }

  /** {@code spec.routing.match}; empty when requests are not routed by content. */
  public static List<RouteMatch> match(Experiment e) {
    return routing(e).map(Routing::match).orElse(List.of());
  }

  public static Optional<StickySessions> sticky(Experiment e) {
    return routing(e).map(Routing::sticky);
  }

  public static int mirrorPercent(Experiment e) {
    return routing(e).map(Routing::mirrorPercent).orElse(DEFAULT_MIRROR_PERCENT);
  }

  /** {@code spec.routing.objRef}: the VirtualService or HTTPRoute a router patches. */
  public static ObjectReference routingObject(Experiment e, String kind) {
    ObjectReference ref = routing(e).map(Routing::objRef).orElse(null);
    if (ref == null || ref.name() == null || ref.name().isEmpty()) {
      throw new RoutingException(
          "experiment " + key(e) + " needs spec.routing.objRef naming the " + kind + " to route with");
    }
    return ref;
  }

  /** {@code spec.targetRef}: the workload the experiment releases. */
  public static ObjectReference targetRef(Experiment e) {
    ObjectReference ref = e.spec() == null ? null : e.spec().targetRef();
    if (ref == null || ref.name() == null || ref.name().isEmpty()) {
      throw new RoutingException("experiment " + key(e) + " has no spec.targetRef");
    }
    return ref;
  }

  /** A reference's namespace, defaulting to the experiment's (reference §1.1). */
  public static String namespaceOf(ObjectReference ref, Experiment e) {
    return ref.namespace() == null || ref.namespace().isEmpty() ? namespace(e) : ref.namespace();
  }

  /** The weight asked for a version; a missing one is an error, never a silent 0. */
  public static int weight(Experiment e, Map<String, Integer> weights, String version) {
    Integer w = weights.get(version);
    if (w == null) {
      throw new RoutingException("no weight given for version " + version + " of experiment " + key(e));
    }
    if (w < 0 || w > 100) {
      throw new RoutingException(
          "weight " + w + " for version " + version + " of experiment " + key(e) + " is not a percent");
    }
    return w;
  }

  /** Every version's weight from {@code weights}, in spec order; a missing one is an error. */
  public static Map<String, Integer> allWeights(Experiment e, Map<String, Integer> weights) {
    Map<String, Integer> all = new LinkedHashMap<>();
    versions(e).forEach(v -> all.put(v.name(), weight(e, weights, v.name())));
    return all;
  }

  /**
   * The split of live traffic on a mesh or gateway route: with a DarkLaunch mirror or a match route,
   * traffic that is not matched stays on the baseline (100, candidates 0); otherwise {@code weights}.
   */
  public static Map<String, Integer> liveWeights(Experiment e, Map<String, Integer> weights) {
    if (!isDarkLaunch(e) && match(e).isEmpty()) {
      return allWeights(e, weights);
    }
    return baselineOnly(e);
  }

  /** All traffic on the baseline: 100, candidates 0. */
  public static Map<String, Integer> baselineOnly(Experiment e) {
    Map<String, Integer> live = new LinkedHashMap<>();
    versions(e).forEach(v -> live.put(v.name(), 0));
    live.put(baseline(e).name(), 100);
    return live;
  }
}
