package tools.iter8.webhook.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Locale;
import tools.iter8.core.validation.Problem;
import tools.iter8.webhook.admission.AdmissionRequest.Gvk;
import tools.iter8.webhook.admission.AdmissionRequest.Gvr;
import tools.iter8.webhook.admission.AdmissionRequest.Operation;

/**
 * Reads and writes {@code admission.k8s.io/v1} AdmissionReviews on Jackson trees. Reading checks what the
 * handler relies on (the request, its UID, kind and operation, the objects each operation carries) and
 * reports anything else as a {@link BadAdmissionReview} with the UID when one was readable. Writing always
 * produces a well-formed review with the UID. Thread-safe.
 */
public final class AdmissionReviewCodec {
  public static final String API_VERSION = "admission.k8s.io/v1";
  public static final String KIND = "AdmissionReview";

  /**
   * Parses with exact numbers: a number in a stored object comes back in a patch exactly as it was, and
   * duplicate keys are an error, as in the API server's strict decoding.
   */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private AdmissionReviewCodec() {}

  /** The request of a review body. */
  public static AdmissionRequest decode(byte[] body) {
    if (body == null || body.length == 0) {
      throw new BadAdmissionReview(400, null, "the request body is empty; expected an AdmissionReview");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (java.io.IOException e) {
      String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new BadAdmissionReview(400, null, "the body is not JSON: " + msg);
    } catch (NumberFormatException e) {
      // Jackson throws this one unwrapped for a number no BigDecimal holds, e.g. 1e1111111111111 (found by fuzzing).
      throw new BadAdmissionReview(400, null, "the body holds a number out of range: " + e.getMessage());
    }
    return decode(root);
  }

  /** The request of a review already parsed. */
  public static AdmissionRequest decode(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new BadAdmissionReview(400, null, "expected an AdmissionReview object, got " + describe(root));
    }
    JsonNode request = root.get("request");
    String uid = request != null && request.path("uid").isTextual() ? request.path("uid").asText() : null;
    String apiVersion = root.path("apiVersion").asText("");
    String kind = root.path("kind").asText("");
    if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
      throw new BadAdmissionReview(
          400, uid,
          "expected apiVersion " + API_VERSION + " and kind " + KIND + ", got \"" + apiVersion + "\" and \"" + kind
              + "\"; list only v1 in the webhook configuration's admissionReviewVersions");
    }
    if (request == null || !request.isObject()) {
      throw new BadAdmissionReview(400, null, "the AdmissionReview has no request");
    }
    if (uid == null || uid.isEmpty()) {
      throw new BadAdmissionReview(400, null, "request.uid is required");
    }
    Gvk gvk = gvk(request.path("kind"), uid);
    Gvr gvr = gvr(request.path("resource"));
    Operation operation;
    try {
      operation = Operation.valueOf(request.path("operation").asText("").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadAdmissionReview(
          400, uid, "request.operation must be CREATE, UPDATE, DELETE or CONNECT, got "
              + describe(request.get("operation")));
    }
    JsonNode object = objectOrNull(request.get("object"), "request.object", uid);
    JsonNode oldObject = objectOrNull(request.get("oldObject"), "request.oldObject", uid);
    if ((operation == Operation.CREATE || operation == Operation.UPDATE) && object == null) {
      throw new BadAdmissionReview(400, uid, "request.object is required for " + operation);
    }
    if (operation == Operation.UPDATE && oldObject == null) {
      throw new BadAdmissionReview(400, uid, "request.oldObject is required for UPDATE");
    }
    return new AdmissionRequest(
        uid,
        gvk,
        gvr,
        text(request.get("subResource")),
        text(request.get("name")),
        text(request.get("namespace")),
        operation,
        request.get("userInfo"),
        object,
        oldObject,
        request.path("dryRun").asBoolean(false),
        request.get("options"));
  }

  /** The UID of a body that may not be a valid review, for answering it; empty when unreadable. */
  public static String readUid(byte[] body) {
    try {
      JsonNode uid = JSON.readTree(body).path("request").path("uid");
      return uid.isTextual() ? uid.asText() : "";
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }

  /** The review answering with {@code response}. */
  public static ObjectNode encode(AdmissionResponse response) {
    ObjectNode review = NODES.objectNode();
    review.put("apiVersion", API_VERSION);
    review.put("kind", KIND);
    ObjectNode r = review.putObject("response");
    r.put("uid", response.uid());
    r.put("allowed", response.allowed());
    if (response.patch() != null && !response.patch().isEmpty()) {
      r.put("patchType", "JSONPatch");
      r.put("patch", Base64.getEncoder().encodeToString(bytes(response.patch())));
    }
    if (!response.warnings().isEmpty()) {
      var w = r.putArray("warnings");
      response.warnings().forEach(w::add);
    }
    if (response.status() != null) {
      ObjectNode s = r.putObject("status");
      s.putObject("metadata");
      s.put("status", "Failure");
      s.put("message", response.status().message());
      s.put("reason", response.status().reason());
      if (!response.status().causes().isEmpty()) {
        var causes = s.putObject("details").putArray("causes");
        for (Problem p : response.status().causes()) {
          ObjectNode c = causes.addObject();
          c.put("reason", "FieldValueInvalid");
          c.put("message", p.message());
          c.put("field", p.path());
        }
      }
      s.put("code", response.status().code());
    }
    return review;
  }

  /** The review answering with {@code response}, as bytes. */
  public static byte[] encodeBytes(AdmissionResponse response) {
    return bytes(encode(response));
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static Gvk gvk(JsonNode k, String uid) {
    if (!k.isObject() || !k.path("version").isTextual() || !k.path("kind").isTextual()) {
      throw new BadAdmissionReview(400, uid, "request.kind must be {group, version, kind}, got " + describe(k));
    }
    return new Gvk(k.path("group").asText(""), k.path("version").asText(), k.path("kind").asText());
  }

  private static Gvr gvr(JsonNode r) {
    return new Gvr(r.path("group").asText(""), r.path("version").asText(""), r.path("resource").asText(""));
  }

  private static JsonNode objectOrNull(JsonNode n, String field, String uid) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new BadAdmissionReview(400, uid, field + " must be an object, got " + describe(n));
    }
    return n;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? "" : n.asText("");
  }

  private static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    String s = n.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
