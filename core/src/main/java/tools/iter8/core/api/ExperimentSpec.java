package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code Experiment.spec}: the original fields ({@code target}, {@code versionInfo}, {@code strategy},
 * {@code criteria}, {@code duration}) plus two optional additions: {@code targetRef}, the workload the
 * experiment releases (set on generated experiments, used for promotion and rollback), and
 * {@code routing}, how traffic reaches the versions when it is not described by {@code weightObjRef}s.
 */
public record ExperimentSpec(
    String target,
    ObjectReference targetRef,
    VersionInfo versionInfo,
    Strategy strategy,
    Criteria criteria,
    DurationSpec duration,
    Routing routing,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public ExperimentSpec {
    extra = Extras.of(extra);
  }
}
