package tools.iter8.webhook.admission;

/**
 * A request body that is not an {@code admission.k8s.io/v1} AdmissionReview the webhook can judge: the
 * HTTP-like code to answer with, and the request UID when one was readable.
 */
public final class BadAdmissionReview extends RuntimeException {
  private final int code;
  private final String uid;

  public BadAdmissionReview(int code, String uid, String message) {
    super(message);
    this.code = code;
    this.uid = uid == null ? "" : uid;
  }

  public int code() {
    return code;
  }

  public String uid() {
    return uid;
  }

  public AdmissionResponse toResponse() {
    return AdmissionResponse.badRequest(uid, code, getMessage());
  }
}
