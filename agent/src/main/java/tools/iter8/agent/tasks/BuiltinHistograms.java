package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

/**
 * {@code status.analysis.aggregatedBuiltinHists.data}: per version, {@code {DurationHistogram: {Count,
 * Max, Sum, Data: [{Start, End, Count}]}, RetCodes: {"200": n}}} in seconds, as the original's
 * {@code metrics/collect} wrote it and {@code BuiltinMetricsSource} reads it. New results are merged
 * exactly as the original's {@code aggregate} (etc3 {@code taskrunner/tasks/collect/collect.go}): Count
 * and Sum added, Max the larger, bucket lists concatenated (so buckets of different runs may overlap;
 * readers sort them), RetCodes summed per code, and versions not in the new result kept as they were.
 */
public final class BuiltinHistograms {
  /** The provenance the original wrote on {@code aggregatedBuiltinHists}. */
  public static final String PROVENANCE = "Builtin metrics collector";

  private BuiltinHistograms() {}

  /** The experiment's histograms, or null when none were collected. */
  public static JsonNode of(Experiment experiment) {
    if (experiment.status() == null
        || experiment.status().analysis() == null
        || experiment.status().analysis().aggregatedBuiltinHists() == null) {
      return null;
    }
    JsonNode data = experiment.status().analysis().aggregatedBuiltinHists().data();
    return data == null || data.isNull() || data.isMissingNode() ? null : data;
  }

  /**
   * A copy of {@code existing} (null: none) with {@code fresh} (version name → result) merged in; neither
   * argument is modified.
   */
  public static ObjectNode aggregate(JsonNode existing, Map<String, ObjectNode> fresh) {
    ObjectNode merged =
        existing != null && existing.isObject() ? existing.deepCopy() : ApiMapper.json().createObjectNode();
    fresh.forEach((version, result) -> aggregate(merged, version, result.deepCopy()));
    return merged;
  }

  private static void aggregate(ObjectNode all, String version, ObjectNode fresh) {
    JsonNode old = all.get(version);
    if (!(old instanceof ObjectNode updated)) {
      all.set(version, fresh);
      return;
    }
    ObjectNode hist = updated.withObjectProperty("DurationHistogram");
    JsonNode add = fresh.path("DurationHistogram");
    hist.put("Count", hist.path("Count").asLong(0) + add.path("Count").asLong(0));
    hist.put("Max", Math.max(hist.path("Max").asDouble(0), add.path("Max").asDouble(0)));
    hist.put("Sum", hist.path("Sum").asDouble(0) + add.path("Sum").asDouble(0));
    ArrayNode data = hist.withArrayProperty("Data");
    add.path("Data").forEach(b -> data.add(b.deepCopy()));
    JsonNode newCodes = fresh.path("RetCodes");
    if (!(updated.get("RetCodes") instanceof ObjectNode codes)) {
      if (newCodes.isObject()) {
        updated.set("RetCodes", newCodes.deepCopy());
      }
      return;
    }
    newCodes.properties().forEach(e -> codes.put(e.getKey(), codes.path(e.getKey()).asLong(0) + e.getValue().asLong(0)));
  }

  /**
   * The experiment with {@code data} as its {@code aggregatedBuiltinHists}, provenance and timestamp set
   * as the original did; everything else, unknown fields included, unchanged.
   */
  public static Experiment withData(Experiment experiment, JsonNode data, Instant at) {
    ObjectNode tree = ApiMapper.json().valueToTree(experiment);
    ObjectNode hists = tree.withObjectProperty("status").withObjectProperty("analysis").putObject("aggregatedBuiltinHists");
    hists.put("provenance", PROVENANCE);
    hists.put("timestamp", at.toString());
    hists.set("data", data.deepCopy());
    return ApiMapper.fromTree(tree, Experiment.class);
  }
}
