package tools.iter8.agent.kube;

/**
 * A Kubernetes API call that failed: the HTTP status ({@code 0} when no answer came), the Status
 * reason and message. Callers decide by {@link #code()}: 404 is absent, 409 a conflict to re-read, and
 * {@link #isTransient()} failures are retried with backoff.
 */
public final class KubernetesApiException extends RuntimeException {
  private final int code;
  private final String reason;

  public KubernetesApiException(int code, String reason, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public boolean isNotFound() {
    return code == 404;
  }

  public boolean isConflict() {
    return code == 409;
  }

  /** Worth retrying unchanged: no answer, throttled, or a server-side failure. */
  public boolean isTransient() {
    return code == 0 || code == 429 || code >= 500;
  }
}
