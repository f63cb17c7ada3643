package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Objects;
import tools.iter8.core.validation.Problem;

/**
 * The answer to one AdmissionReview: allowed (with or without a JSON Patch) or not, with the request's
 * UID. {@code httpStatus} is 200 whenever the webhook judged the request; an answer it could not judge
 * (not an AdmissionReview it understands, or an internal error) carries the error in both the HTTP status
 * and the body, so the API server applies the webhook's {@code failurePolicy}.
 *
 * @param uid the request's UID, empty when none was readable
 * @param patch the JSON Patch (RFC 6902) to apply, or null for none
 * @param warnings shown by kubectl as {@code Warning: ...}
 * @param status why a request was denied, or null when allowed
 * @param outcome what happened, for metrics and the log line
 * @param summary one line for the log
 */
public record AdmissionResponse(
    String uid,
    boolean allowed,
    ArrayNode patch,
    List<String> warnings,
    Status status,
    int httpStatus,
    Outcome outcome,
    String summary) {

  public AdmissionResponse {
    uid = uid == null ? "" : uid;
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(outcome, "outcome");
  }

  /** What an answer did, as counted in {@code /metrics}. */
  public enum Outcome {
    /** Allowed, object untouched. */
    ALLOWED("allowed"),
    /** Allowed with a patch. */
    PATCHED("patched"),
    /** Denied on its merits (invalid resource, bad annotations). */
    DENIED("denied"),
    /** Not an AdmissionReview the webhook can judge. */
    BAD_REQUEST("bad_request"),
    /** A bug or an unexpected condition in the webhook. */
    ERROR("error");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * A {@code metav1.Status}: the HTTP-like code, a machine reason ({@code Invalid}, {@code BadRequest},
   * ...), the message kubectl prints, and one cause per problem.
   */
  public record Status(int code, String reason, String message, List<Problem> causes) {
    public Status {
      causes = List.copyOf(causes);
    }
  }

  public static AdmissionResponse allow(String uid, String summary, List<String> warnings) {
    return new AdmissionResponse(uid, true, null, warnings, null, 200, Outcome.ALLOWED, summary);
  }

  public static AdmissionResponse allow(String uid, String summary) {
    return allow(uid, summary, List.of());
  }

  /** Allowed with the patch, or without one when the patch is empty: no patch when nothing changes. */
  public static AdmissionResponse patched(String uid, ArrayNode patch, String summary, List<String> warnings) {
    if (patch == null || patch.isEmpty()) {
      return allow(uid, summary, warnings);
    }
    return new AdmissionResponse(uid, true, patch, warnings, null, 200, Outcome.PATCHED, summary);
  }

  /** Denied because the resource is invalid: 422 Invalid with every problem as a cause. */
  public static AdmissionResponse invalid(String uid, String message, List<Problem> problems) {
    return new AdmissionResponse(
        uid, false, null, List.of(), new Status(422, "Invalid", message, problems), 200, Outcome.DENIED,
        "denied: " + message);
  }

  /** Not an AdmissionReview the webhook can judge; the API server applies the failurePolicy. */
  public static AdmissionResponse badRequest(String uid, int code, String message) {
    return new AdmissionResponse(
        uid, false, null, List.of(), new Status(code, reason(code), message, List.of()), code,
        Outcome.BAD_REQUEST, "bad request: " + message);
  }

  /** An internal error; the API server applies the failurePolicy. */
  public static AdmissionResponse error(String uid, String message) {
    return new AdmissionResponse(
        uid, false, null, List.of(), new Status(500, "InternalError", message, List.of()), 500,
        Outcome.ERROR, "error: " + message);
  }

  private static String reason(int code) {
    return switch (code) {
      case 413 -> "RequestEntityTooLarge";
      case 415 -> "UnsupportedMediaType";
      default -> "BadRequest";
    };
  }
}
