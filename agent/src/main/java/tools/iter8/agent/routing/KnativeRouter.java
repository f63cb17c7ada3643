package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.VersionDetail;

/**
 * Splits traffic between revisions of the {@code spec.targetRef} Knative Service through its {@code
 * spec.traffic[].percent} (DESIGN §2.3), as pinned by the webhook: {@code [{revisionName: <baseline>,
 * percent: 100}, {latestRevision: true, percent: 0, tag: candidate}]}.
 *
 * <p>Entries are found by content, never by position: a version whose {@code revision} variable is set
 * owns the entry with that {@code revisionName}; otherwise the one candidate owns the entry tagged
 * {@code candidate}, else the {@code latestRevision: true} entry (the candidate's revision is named by
 * Knative after the write, so generated experiments do not know it in advance), and the baseline owns
 * the first other entry with a {@code revisionName}. Other entries are left alone.
 */
public final class KnativeRouter implements TrafficRouter {
  static final String CANDIDATE_TAG = "candidate";

  private final KubernetesOps ops;

  public KnativeRouter(KubernetesOps ops) {
    this.ops = ops;
  }

  @Override
  public Future<Map<String, Integer>> read(Experiment experiment) {
    return Futures.safely(() -> service(experiment))
        .map(
            service -> {
              JsonNode traffic = service.path("spec").path("traffic");
              Map<String, Integer> entries = entries(experiment, service);
              Map<String, Integer> weights = new LinkedHashMap<>();
              entries.forEach((version, i) -> weights.put(version, traffic.get(i).path("percent").asInt(0)));
              return weights;
            });
  }

  @Override
  public Future<Void> apply(Experiment experiment, Map<String, Integer> weights) {
    return Futures.safely(() -> service(experiment))
        .compose(
            service -> {
              JsonNode traffic = service.path("spec").path("traffic");
              JsonPatch patch = new JsonPatch();
              entries(experiment, service)
                  .forEach(
                      (version, i) -> {
                        int w = Experiments.weight(experiment, weights, version);
                        JsonNode current = traffic.get(i).path("percent");
                        if (!current.isInt() || current.intValue() != w) {
                          patch.add(JsonPatch.pointer("spec", "traffic", i, "percent"), w);
                        }
                      });
              if (patch.isEmpty()) {
                return Future.succeededFuture();
              }
              JsonNode meta = service.path("metadata");
              return ops.jsonPatch(
                      ResourceKind.KNATIVE_SERVICE, meta.path("namespace").asText(), meta.path("name").asText(),
                      patch.ops())
                  .mapEmpty();
            });
  }

  private Future<JsonNode> service(Experiment experiment) {
    ObjectReference ref = Experiments.targetRef(experiment);
    String namespace = Experiments.namespaceOf(ref, experiment);
    return ops.get(ResourceKind.KNATIVE_SERVICE, namespace, ref.name())
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new RoutingException(
                            "Knative Service " + namespace + "/" + ref.name() + " (spec.targetRef of experiment "
                                + Experiments.key(experiment) + ") not found")));
  }

  /** The index in {@code spec.traffic} of each version's entry, baseline first. */
  static Map<String, Integer> entries(Experiment experiment, JsonNode service) {
    JsonNode traffic = service.path("spec").path("traffic");
    String where = "Knative Service " + service.at("/metadata/namespace").asText() + "/" + service.at("/metadata/name").asText();
    if (!traffic.isArray() || traffic.isEmpty()) {
      throw new RoutingException(where + " has no spec.traffic to split (the webhook pins it while a version is staged)");
    }
    List<VersionDetail> candidates = Experiments.candidates(experiment);
    Map<String, Integer> found = new LinkedHashMap<>();
    for (VersionDetail c : candidates) {
      Optional<Integer> i =
          Experiments.variable(c, "revision")
              .flatMap(rev -> find(traffic, e -> rev.equals(e.path("revisionName").asText(null)), found))
              .or(() -> candidates.size() == 1
                  ? find(traffic, e -> CANDIDATE_TAG.equals(e.path("tag").asText(null)), found)
                  : Optional.empty())
              .or(() -> candidates.size() == 1
                  ? find(traffic, e -> e.path("latestRevision").asBoolean(false), found)
                  : Optional.empty());
      found.put(c.name(), i.orElseThrow(() -> missing(where, c, "a revisionName equal to its revision variable,"
          + " tag \"candidate\" or latestRevision: true")));
    }
    VersionDetail baseline = Experiments.baseline(experiment);
    Optional<String> revision = Experiments.variable(baseline, "revision");
    Optional<Integer> b =
        revision.isPresent()
            ? find(traffic, e -> revision.get().equals(e.path("revisionName").asText(null)), found)
            : find(traffic, e -> e.hasNonNull("revisionName") && !e.path("latestRevision").asBoolean(false), found);
    Map<String, Integer> ordered = new LinkedHashMap<>();
    ordered.put(baseline.name(), b.orElseThrow(() -> missing(where, baseline,
        revision.map(r -> "revisionName " + r).orElse("a revisionName"))));
    ordered.putAll(found);
    return ordered;
  }

  private static Optional<Integer> find(
      JsonNode traffic, Predicate<JsonNode> test, Map<String, Integer> taken) {
    for (int i = 0; i < traffic.size(); i++) {
      if (!taken.containsValue(i) && test.test(traffic.get(i))) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private static RoutingException missing(String where, VersionDetail v, String expected) {
    return new RoutingException(
        where + " has no spec.traffic entry for version " + v.name() + " (expected " + expected + ")");
  }
}
