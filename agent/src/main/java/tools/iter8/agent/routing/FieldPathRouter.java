package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.VersionDetail;

/**
 * The original's generic router (reference §4.6): each version's weight lives at its {@code
 * weightObjRef.fieldPath} in any object, so samples written for Istio, Knative, KFServing or SMI run
 * unchanged.
 *
 * <p>Apply sends, per object (apiVersion, kind, namespace, name), one JSON Patch of {@code add}
 * operations at the converted paths, skipping fields that already hold the weight, so a repeated apply
 * writes nothing. Read takes the integer at each path; exactly one version without a ref gets
 * {@code 100 − sum}. Unlike the original, results are keyed by version name, never by position, so the
 * baseline being the ref-less version (the KFServing {@code canaryTrafficPercent} shape) is read right.
 */
public final class FieldPathRouter implements TrafficRouter {
  private final KubernetesOps ops;
  private final ResourceKinds kinds;

  public FieldPathRouter(KubernetesOps ops, ResourceKinds kinds) {
    this.ops = ops;
    this.kinds = kinds;
  }

  /** One object that holds weights. */
  record Target(String apiVersion, String kind, String namespace, String name) {
    @Override
    public String toString() {
      return kind + " " + namespace + "/" + name + " (" + apiVersion + ")";
    }
  }

  /** Where one version's weight lives. */
  record WeightField(String version, Target target, String fieldPath, String pointer) {}

  @Override
  public Future<Map<String, Integer>> read(Experiment experiment) {
    return Futures.safely(() -> readWeights(experiment));
  }

  private Future<Map<String, Integer>> readWeights(Experiment experiment) {
    List<WeightField> fields = fields(experiment);
    List<String> withoutRef = withoutRef(experiment);
    if (withoutRef.size() > 1 && Experiments.deploymentPattern(experiment) != DeploymentPattern.FIXED_SPLIT) {
      return Future.failedFuture(
          new RoutingException(
              "unable to read the weights of experiment " + Experiments.key(experiment) + ": versions "
                  + String.join(", ", withoutRef) + " have no weightObjRef, and at most one may omit it"));
    }
    return fetchAll(fields).map(objects -> weights(experiment, fields, withoutRef, objects));
  }

  @Override
  public Future<Void> apply(Experiment experiment, Map<String, Integer> weights) {
    return Futures.safely(() -> applyWeights(experiment, weights));
  }

  private Future<Void> applyWeights(Experiment experiment, Map<String, Integer> weights) {
    List<WeightField> fields = fields(experiment);
    // Every weight is checked before the first write, so a bad request changes nothing.
    fields.forEach(f -> Experiments.weight(experiment, weights, f.version()));
    Map<Target, List<WeightField>> byTarget = new LinkedHashMap<>();
    fields.forEach(f -> byTarget.computeIfAbsent(f.target(), t -> new ArrayList<>()).add(f));
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<Target, List<WeightField>> entry : byTarget.entrySet()) {
      chain = chain.compose(v -> patch(entry.getKey(), entry.getValue(), weights));
    }
    return chain;
  }

  private Future<Void> patch(Target target, List<WeightField> fields, Map<String, Integer> weights) {
    return kinds.resolve(target.apiVersion(), target.kind())
        .compose(kind -> fetch(kind, target).compose(object -> send(kind, target, plan(object, fields, weights))));
  }

  /** The operations that bring the object's fields to the weights; none for fields already there. */
  static JsonPatch plan(JsonNode object, List<WeightField> fields, Map<String, Integer> weights) {
    JsonPatch patch = new JsonPatch();
    for (WeightField f : fields) {
      int weight = weights.get(f.version());
      JsonNode current = object.at(f.pointer());
      if (current.isIntegralNumber() && current.canConvertToInt() && current.intValue() == weight) {
        continue;
      }
      if (!object.at(FieldPath.parentOf(f.pointer())).isContainerNode()) {
        throw new RoutingException(
            "version " + f.version() + ": " + f.target() + " has nothing at " + f.fieldPath()
                + " to hold its weight (the parent of " + f.pointer() + " does not exist)");
      }
      patch.add(f.pointer(), weight);
    }
    return patch;
  }

  private Future<Void> send(ResourceKind kind, Target target, JsonPatch patch) {
    if (patch.isEmpty()) {
      return Future.succeededFuture();
    }
    return ops.jsonPatch(kind, target.namespace(), target.name(), patch.ops()).mapEmpty();
  }

  private Future<Map<Target, JsonNode>> fetchAll(List<WeightField> fields) {
    List<Target> targets = fields.stream().map(WeightField::target).distinct().toList();
    List<Future<JsonNode>> reads =
        targets.stream()
            .map(t -> kinds.resolve(t.apiVersion(), t.kind()).compose(kind -> fetch(kind, t)))
            .toList();
    return Future.all(reads)
        .map(
            all -> {
              Map<Target, JsonNode> objects = new LinkedHashMap<>();
              for (int i = 0; i < targets.size(); i++) {
                objects.put(targets.get(i), all.resultAt(i));
              }
              return objects;
            });
  }

  private Future<JsonNode> fetch(ResourceKind kind, Target target) {
    return ops.get(kind, target.namespace(), target.name())
        .map(found -> found.orElseThrow(() -> new RoutingException("weightObjRef " + target + " not found")));
  }

  private static Map<String, Integer> weights(
      Experiment experiment, List<WeightField> fields, List<String> withoutRef, Map<Target, JsonNode> objects) {
    Map<String, Integer> read = new LinkedHashMap<>();
    for (WeightField f : fields) {
      read.put(f.version(), intAt(objects.get(f.target()), f));
    }
    if (withoutRef.size() == 1) {
      int sum = read.values().stream().mapToInt(Integer::intValue).sum();
      if (sum > 100) {
        throw new RoutingException(
            "the weightObjRefs of experiment " + Experiments.key(experiment) + " sum to " + sum
                + ", so version " + withoutRef.get(0) + " cannot get 100 minus the others");
      }
      read.put(withoutRef.get(0), 100 - sum);
    }
    // In spec order (baseline first), whichever version lacks the ref.
    Map<String, Integer> ordered = new LinkedHashMap<>();
    Experiments.versions(experiment).forEach(v -> {
      if (read.containsKey(v.name())) {
        ordered.put(v.name(), read.get(v.name()));
      }
    });
    return ordered;
  }

  static int intAt(JsonNode object, WeightField f) {
    JsonNode value = object.at(f.pointer());
    if (value.isMissingNode() || value.isNull()) {
      throw new RoutingException(
          "version " + f.version() + ": " + f.target() + " has no value at fieldPath " + f.fieldPath());
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new RoutingException(
          "version " + f.version() + ": " + f.target() + " holds " + value + " at fieldPath " + f.fieldPath()
              + ", not an integer weight");
    }
    return value.intValue();
  }

  private static List<WeightField> fields(Experiment experiment) {
    List<WeightField> fields = new ArrayList<>();
    for (VersionDetail v : Experiments.versions(experiment)) {
      ObjectReference ref = v.weightObjRef();
      if (ref == null || ref.fieldPath() == null || ref.fieldPath().isEmpty()) {
        continue;
      }
      if (ref.apiVersion() == null || ref.kind() == null || ref.name() == null) {
        throw new RoutingException(
            "version " + v.name() + " of experiment " + Experiments.key(experiment)
                + ": weightObjRef needs apiVersion, kind and name");
      }
      Target target =
          new Target(ref.apiVersion(), ref.kind(), Experiments.namespaceOf(ref, experiment), ref.name());
      fields.add(new WeightField(v.name(), target, ref.fieldPath(), FieldPath.toPointer(ref.fieldPath())));
    }
    return fields;
  }

  private static List<String> withoutRef(Experiment experiment) {
    return Experiments.versions(experiment).stream()
        .filter(v -> v.weightObjRef() == null || v.weightObjRef().fieldPath() == null
            || v.weightObjRef().fieldPath().isEmpty())
        .map(VersionDetail::name)
        .toList();
  }
}
