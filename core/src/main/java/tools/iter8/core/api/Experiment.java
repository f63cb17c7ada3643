package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * An {@code iter8.tools/v2alpha2} Experiment. Fields the model does not know are kept in
 * {@link #extra()} at every level, so a resource read and written back loses nothing.
 */
public record Experiment(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    ExperimentSpec spec,
    ExperimentStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Experiment {
    extra = Extras.of(extra);
  }

  public static final String API_VERSION = "iter8.tools/v2alpha2";
  public static final String KIND = "Experiment";

  public Experiment withSpec(ExperimentSpec newSpec) {
    return new Experiment(apiVersion, kind, metadata, newSpec, status, extra);
  }

  public Experiment withStatus(ExperimentStatus newStatus) {
    return new Experiment(apiVersion, kind, metadata, spec, newStatus, extra);
  }
}
