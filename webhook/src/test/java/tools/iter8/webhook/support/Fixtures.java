package tools.iter8.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.testkit.admission.ApiServerObjects;

/**
 * The example manifests users read ({@code docs/examples/kubectl}), as the API server would hold them: the
 * tests of each kind start from these, so the examples are known to work.
 */
public final class Fixtures {
  public static final String NS = "shop";

  private Fixtures() {}

  /** The first document of kind {@code kind} in {@code docs/examples/<file>}. */
  public static ObjectNode example(String file, String kind) {
    try {
      String yaml = Files.readString(Repo.path("docs/examples/" + file));
      for (JsonNode doc : ApiMapper.readAll(yaml)) {
        if (kind.equals(doc.path("kind").asText())) {
          return (ObjectNode) doc;
        }
      }
      throw new AssertionError("no " + kind + " in docs/examples/" + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode deployment() {
    return example("kubectl/deployment.yaml", "Deployment");
  }

  public static ObjectNode knativeService() {
    return example("kubectl/knative-service.yaml", "Service");
  }

  public static ObjectNode inferenceService() {
    return example("kubectl/inferenceservice.yaml", "InferenceService");
  }

  /** The manifest with every occurrence of {@code from} in text values replaced, e.g. a new image tag. */
  public static ObjectNode replace(JsonNode manifest, String from, String to) {
    return (ObjectNode) ApiMapper.read(ApiMapper.toJson(manifest).replace(from, to), JsonNode.class);
  }

  /** {@code manifest} stored in namespace {@link #NS}. */
  public static ObjectNode stored(JsonNode manifest) {
    return ApiServerObjects.persisted(manifest, NS, "kubectl-client-side-apply");
  }

  /** A stored Knative Service whose revision {@code revision} is ready. */
  public static ObjectNode readyKnative(JsonNode manifest, String revision) {
    return ApiServerObjects.withStatus(
        stored(manifest),
        ApiMapper.read(
            "{\"observedGeneration\": 1, \"latestReadyRevisionName\": \"" + revision + "\", \"latestCreatedRevisionName\": \""
                + revision + "\", \"url\": \"http://hello.shop.example.com\", \"traffic\": [{\"revisionName\": \"" + revision
                + "\", \"percent\": 100, \"latestRevision\": true}], \"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}",
            JsonNode.class));
  }

  /** A stored InferenceService whose predictor revision {@code revision} is ready and rolled out. */
  public static ObjectNode readyInferenceService(JsonNode manifest, String revision) {
    return ApiServerObjects.withStatus(
        stored(manifest),
        ApiMapper.read(
            "{\"observedGeneration\": 1, \"components\": {\"predictor\": {\"latestReadyRevision\": \"" + revision
                + "\", \"latestCreatedRevision\": \"" + revision + "\", \"latestRolledoutRevision\": \"" + revision
                + "\", \"traffic\": [{\"revisionName\": \"" + revision + "\", \"percent\": 100, \"latestRevision\": true}]}},"
                + " \"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}",
            JsonNode.class));
  }

  /**
   * {@code object} as stored after the write it came with: the API server bumps {@code generation} when the
   * spec changed and always the {@code resourceVersion}.
   */
  public static ObjectNode storedAfterWrite(JsonNode before, JsonNode object) {
    ObjectNode o = object.deepCopy();
    ObjectNode meta = (ObjectNode) o.path("metadata");
    long generation = before.path("metadata").path("generation").asLong(1);
    meta.put("generation", o.path("spec").equals(before.path("spec")) ? generation : generation + 1);
    meta.put("resourceVersion", String.valueOf(before.path("metadata").path("resourceVersion").asLong(1000) + 1));
    return o;
  }

  public static ObjectNode withAnnotations(JsonNode object, Map<String, String> annotations) {
    return ApiServerObjects.withAnnotations(object, annotations);
  }

  public static List<String> paths(JsonNode patch) {
    return java.util.stream.StreamSupport.stream(patch.spliterator(), false)
        .map(op -> op.path("op").asText() + " " + op.path("path").asText())
        .toList();
  }
}
