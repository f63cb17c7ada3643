package tools.iter8.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

/**
 * Reads Experiments ({@code iter8.tools/v2alpha2}) with client-java: get and list, nothing else, so iter8ctl needs
 * only {@code get} and {@code list} on experiments. The response body is read as sent and mapped with core's
 * {@link ApiMapper}, not through client-java's Gson object maps, which would turn {@code 10} into {@code 10.0} and
 * lose the exact text of quantities.
 */
public final class ExperimentClient {
  public static final String GROUP = "iter8.tools";
  public static final String VERSION = "v2alpha2";
  public static final String PLURAL = "experiments";

  private final CustomObjectsApi api;

  public ExperimentClient(ApiClient client) {
    this.api = new CustomObjectsApi(client);
  }

  /** The experiment, or empty when there is none of that name. */
  public Optional<Experiment> get(String namespace, String name) {
    try {
      JsonNode body = send(api.getNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, name).buildCall(null),
          "get experiment " + namespace + "/" + name);
      return Optional.of(ApiMapper.fromTree(body, Experiment.class));
    } catch (KubeApiException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    } catch (ApiException e) {
      throw new KubeApiException(0, e.getMessage(), false);
    }
  }

  public List<Experiment> list(String namespace) {
    try {
      JsonNode body = send(api.listNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL).buildCall(null),
          "list experiments in " + namespace);
      List<Experiment> items = new ArrayList<>();
      for (JsonNode item : body.path("items")) {
        items.add(ApiMapper.fromTree(item, Experiment.class));
      }
      return items;
    } catch (ApiException e) {
      throw new KubeApiException(0, e.getMessage(), false);
    }
  }

  /** The experiment created last in the namespace (what the original's help promised). */
  public Optional<Experiment> latest(String namespace) {
    return latest(list(namespace));
  }

  /**
   * The item with the latest creation timestamp; among equal timestamps (they have one-second precision), the one
   * listed last, as the original picked.
   */
  static Optional<Experiment> latest(List<Experiment> items) {
    Comparator<Experiment> byCreation = Comparator.comparing(
        e -> e.metadata() == null || e.metadata().creationTimestamp() == null
            ? Instant.MIN : e.metadata().creationTimestamp());
    Experiment best = null;
    for (Experiment e : items) {
      if (best == null || byCreation.compare(e, best) >= 0) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  private static JsonNode send(Call call, String what) {
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      if (!response.isSuccessful()) {
        throw KubeApiException.of(response.code(), what, text);
      }
      return ApiMapper.json().readTree(text);
    } catch (IOException e) {
      throw new KubeApiException(0, what + ": " + e.getMessage(), true);
    }
  }

  /**
   * The API server refused a request or could not be reached.
   *
   * @param code the HTTP status, 0 when there was no response
   * @param transientFailure whether asking again later may succeed (no response, 429, 5xx)
   */
  public static final class KubeApiException extends RuntimeException {
    private final int code;
    private final boolean transientFailure;

    KubeApiException(int code, String message, boolean transientFailure) {
      super(message);
      this.code = code;
      this.transientFailure = transientFailure;
    }

    static KubeApiException of(int code, String what, String body) {
      String message = null;
      try {
        message = ApiMapper.json().readTree(body).path("message").asText(null);
      } catch (IOException | RuntimeException ignored) {
        // Not a metav1.Status: the status code says enough.
      }
      return new KubeApiException(code, what + ": HTTP " + code + (message == null ? "" : ": " + message),
          code == 429 || code >= 500);
    }

    public int code() {
      return code;
    }

    public boolean notFound() {
      return code == 404;
    }

    public boolean transientFailure() {
      return transientFailure;
    }
  }
}
