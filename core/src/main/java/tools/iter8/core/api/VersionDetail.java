package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One version: its unique name, variables for metric and task templates, and optionally the object
 * field that holds its traffic weight.
 */
public record VersionDetail(
    String name,
    List<NamedValue> variables,
    ObjectReference weightObjRef,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public VersionDetail {
    extra = Extras.of(extra);
  }

  public VersionDetail(String name) {
    this(name, null, null, null);
  }
}
