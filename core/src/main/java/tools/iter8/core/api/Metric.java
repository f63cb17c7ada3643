package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * An {@code iter8.tools/v2alpha2} Metric: how to obtain one number per version from a metrics backend.
 * It has no status.
 */
public record Metric(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    MetricSpec spec,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Metric {
    extra = Extras.of(extra);
  }

  public static final String API_VERSION = "iter8.tools/v2alpha2";
  public static final String KIND = "Metric";

  public Metric withSpec(MetricSpec newSpec) {
    return new Metric(apiVersion, kind, metadata, newSpec, extra);
  }
}
