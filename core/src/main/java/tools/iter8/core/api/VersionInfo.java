package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** {@code spec.versionInfo}: one baseline and zero or more candidates, in that order. */
public record VersionInfo(
    VersionDetail baseline,
    List<VersionDetail> candidates,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public VersionInfo {
    extra = Extras.of(extra);
  }

  /** Baseline first, then candidates in spec order: the order of every per-version list in status. */
  public List<VersionDetail> all() {
    var versions = new java.util.ArrayList<VersionDetail>();
    if (baseline != null) {
      versions.add(baseline);
    }
    if (candidates != null) {
      versions.addAll(candidates);
    }
    return List.copyOf(versions);
  }
}
