package tools.iter8.agent.controller;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.iter8.core.api.Stage;
import tools.iter8.core.lifecycle.Reasons;

/**
 * The few facts the controller needs about <em>every</em> cached experiment, kept from the informer's events and read
 * from its raw JSON, so nothing is converted to the agent's model to answer them: which experiments share a target
 * (target acquisition), which wait for one (waking them), how many are in each stage (the {@code iter8_experiments}
 * gauge). Before it, each of these converted every cached experiment (Gson → text → Jackson) on every call: at
 * thousands of experiments, acquiring one target cost seconds of CPU (docs/benchmarks/agent-scale.md).
 *
 * <p>Updated by the informer's event thread; read by reconciles. Like the informer cache it may lag a moment behind
 * the API server, which target acquisition tolerates (its order is by {@code initTime} and name, the same in every
 * view).
 */
public final class ExperimentIndex {

  /** What the index keeps of one experiment. */
  record Facts(String key, String target, boolean completed, boolean targetAcquired, Stage stage) {
    /** Not completed and not holding its target: it waits for one. */
    boolean waiting() {
      return !completed && !targetAcquired;
    }
  }

  private final Map<String, Facts> byKey = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> byTarget = new ConcurrentHashMap<>();

  /** An added or changed experiment (the informer's raw object). */
  public void upsert(JsonObject raw) {
    Facts f = facts(raw);
    Facts old = byKey.put(f.key(), f);
    if (old != null && old.target() != null && !old.target().equals(f.target())) {
      removeFromTarget(old);
    }
    if (f.target() != null) {
      byTarget.computeIfAbsent(f.target(), t -> ConcurrentHashMap.newKeySet()).add(f.key());
    }
  }

  /** A deleted experiment. */
  public void remove(JsonObject raw) {
    Facts old = byKey.remove(ResourceInformer.key(raw));
    if (old != null && old.target() != null) {
      removeFromTarget(old);
    }
  }

  private void removeFromTarget(Facts old) {
    byTarget.computeIfPresent(old.target(), (t, keys) -> {
      keys.remove(old.key());
      return keys.isEmpty() ? null : keys;
    });
  }

  /** Keys ({@code namespace/name}) of the experiments whose {@code spec.target} is {@code target}. */
  public List<String> onTarget(String target) {
    Set<String> keys = byTarget.get(target);
    return keys == null ? List.of() : List.copyOf(keys);
  }

  /** Keys of the experiments waiting for a target: for {@code target}, or for any when it is null. */
  public List<String> waiting(String target) {
    List<String> out = new ArrayList<>();
    if (target != null) {
      for (String key : onTarget(target)) {
        Facts f = byKey.get(key);
        if (f != null && f.waiting()) {
          out.add(key);
        }
      }
      return out;
    }
    for (Facts f : byKey.values()) {
      if (f.waiting()) {
        out.add(f.key());
      }
    }
    return out;
  }

  /** Experiments by stage; an experiment without a (known) stage counts as Waiting, as {@code ExperimentFacts}. */
  public Map<Stage, Long> stageCounts() {
    Map<Stage, Long> counts = new EnumMap<>(Stage.class);
    for (Facts f : byKey.values()) {
      counts.merge(f.stage(), 1L, Long::sum);
    }
    return counts;
  }

  public int size() {
    return byKey.size();
  }

  /** The facts of a raw Experiment, as {@code ExperimentFacts} reads them from the model. */
  static Facts facts(JsonObject raw) {
    String key = ResourceInformer.key(raw);
    JsonObject spec = object(raw, "spec");
    JsonObject status = object(raw, "status");
    String target = spec == null ? null : text(spec, "target");
    String stageText = status == null ? null : text(status, "stage");
    Stage stage = stageText == null ? Stage.WAITING : Stage.parse(stageText).orElse(Stage.WAITING);
    return new Facts(key, target, condition(status, Reasons.COMPLETED), condition(status, Reasons.TARGET_ACQUIRED), stage);
  }

  /** The first condition of {@code type} is {@code True}. */
  private static boolean condition(JsonObject status, String type) {
    if (status == null || !(status.get("conditions") instanceof JsonArray conditions)) {
      return false;
    }
    for (JsonElement c : conditions) {
      if (c.isJsonObject() && type.equals(text(c.getAsJsonObject(), "type"))) {
        return "True".equals(text(c.getAsJsonObject(), "status"));
      }
    }
    return false;
  }

  private static JsonObject object(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
  }

  private static String text(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }
}
