package tools.iter8.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Merges an experiment template ({@code iter8.tools/template}) into a generated Experiment's spec, as
 * docs/workloads.md says: {@code target}, {@code targetRef}, {@code versionInfo} and {@code routing}
 * always come from the workload; a field listed in {@code iter8.tools/overrides} keeps the value the
 * workload's annotations gave; any other field the template sets replaces the generated default. The
 * template's actions are appended to the generated ones, so a template that adds a notification
 * never loses the generated promotion and rollback.
 */
public final class ExperimentTemplates {
  private static final Set<String> FROM_WORKLOAD = Set.of("target", "targetRef", "versionInfo", "routing");

  private ExperimentTemplates() {}

  /**
   * @param generated the generated spec (not changed)
   * @param template the template Experiment's spec
   * @param overrides dotted spec paths set by annotations, e.g. {@code criteria.objectives}
   */
  public static ObjectNode merge(JsonNode generated, JsonNode template, Set<String> overrides) {
    ObjectNode result = generated.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!FROM_WORKLOAD.contains(f.getKey())) {
        mergeField(result, f.getKey(), f.getValue(), f.getKey(), overrides);
      }
    }
    return result;
  }

  private static void mergeField(ObjectNode target, String name, JsonNode value, String path, Set<String> overrides) {
    if (overrides.contains(path)) {
      return;
    }
    if (path.equals("strategy.actions") && value.isObject()) {
      ObjectNode actions = target.has(name) && target.get(name).isObject() ? (ObjectNode) target.get(name) : target.putObject(name);
      value.fields().forEachRemaining(a -> {
        ArrayNode tasks = actions.has(a.getKey()) && actions.get(a.getKey()).isArray()
            ? (ArrayNode) actions.get(a.getKey()) : actions.putArray(a.getKey());
        a.getValue().forEach(t -> tasks.add(t.deepCopy()));
      });
      return;
    }
    JsonNode existing = target.get(name);
    if (value.isObject() && existing != null && existing.isObject()) {
      value.fields().forEachRemaining(
          c -> mergeField((ObjectNode) existing, c.getKey(), c.getValue(), path + "." + c.getKey(), overrides));
      return;
    }
    target.set(name, value.deepCopy());
  }
}
