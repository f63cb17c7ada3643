package tools.iter8.agent.tasks;

import io.vertx.core.http.HttpResponseHead;
import io.vertx.ext.web.client.HttpResponse;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Why a notification request failed, in a sentence that names where it went but holds no credentials. */
final class HttpFailures {
  private static final int EXCERPT = 200;

  private HttpFailures() {}

  /** A non-2xx answer, with the start of its body. */
  static final class StatusException extends RuntimeException {
    final int status;
    final String body;

    private StatusException(int status, String body) {
      super("HTTP " + status, null, false, false);
      this.status = status;
      this.body = body == null ? "" : body;
    }

    static Throwable of(HttpResponseHead head, Throwable cause) {
      String body = head instanceof HttpResponse<?> r && r.body() != null ? r.body().toString() : "";
      return new StatusException(head.statusCode(), body);
    }
  }

  /**
   * @param where the request as written by the user (e.g. {@code POST https://hooks.example/$token}), never
   *     the URL after substitution
   */
  static String describe(Throwable failure, String where, Duration timeout) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof StatusException s) {
        return "HTTP " + s.status + " from " + where + (s.body.isBlank() ? "" : ": " + excerpt(s.body));
      }
      if (e instanceof TaskException) {
        return e.getMessage();
      }
      if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
        return "no answer from " + where + " within " + timeout.toMillis() + " ms";
      }
      if (e instanceof UnknownHostException) {
        return "unknown host in " + where;
      }
      if (e instanceof ConnectException) {
        return "cannot connect to " + where + ": " + e.getMessage();
      }
      if (e instanceof SSLException) {
        return "TLS with " + where + " failed: " + excerpt(String.valueOf(e.getMessage()));
      }
    }
    String message = failure.getMessage();
    return "request " + where + " failed: " + failure.getClass().getSimpleName()
        + (message == null ? "" : ": " + excerpt(message));
  }

  static String excerpt(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT) + "…";
  }
}
