package tools.iter8.testkit.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Failure bodies in the shape of a {@code metav1.Status}, with the {@code reason} a real API server uses for each HTTP
 * code.
 *
 * <p>client-java only turns an error into a proper {@code ApiException} (and {@code GenericKubernetesApi} only into a
 * failed {@code KubernetesApiResponse}) when the body is such a Status, and controllers branch on {@code reason}
 * ({@code NotFound}, {@code AlreadyExists}, {@code Conflict}). The mock answers many errors with an empty body, or
 * with reason {@code Invalid} whatever the code; injected faults need the same shape.
 */
final class KubeStatus {

  static final String CONTENT_TYPE = "application/json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(400, "BadRequest"),
      Map.entry(401, "Unauthorized"),
      Map.entry(403, "Forbidden"),
      Map.entry(404, "NotFound"),
      Map.entry(405, "MethodNotAllowed"),
      Map.entry(406, "NotAcceptable"),
      Map.entry(409, "Conflict"),
      Map.entry(410, "Expired"),
      Map.entry(413, "RequestEntityTooLarge"),
      Map.entry(415, "UnsupportedMediaType"),
      Map.entry(422, "Invalid"),
      Map.entry(429, "TooManyRequests"),
      Map.entry(500, "InternalError"),
      Map.entry(503, "ServiceUnavailable"),
      Map.entry(504, "Timeout"));

  private KubeStatus() {
  }

  /** The reason a real API server reports for this code, {@code Unknown} for codes it does not name. */
  static String reasonFor(int code) {
    return REASONS.getOrDefault(code, "Unknown");
  }

  /** A Status body for {@code code}, with the standard reason. */
  static String failure(int code, String message) {
    return failure(code, reasonFor(code), message);
  }

  static String failure(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode()
        .put("apiVersion", "v1")
        .put("kind", "Status")
        .put("status", "Failure")
        .put("message", message)
        .put("reason", reason)
        .put("code", code);
    status.putObject("metadata");
    try {
      return JSON.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
