package tools.iter8.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Holds the fields of a resource that the model does not know, so that they survive a round trip. */
final class Extras {
  private Extras() {}

  /**
   * A mutable, insertion-ordered copy: Jackson's any-setter fills it while parsing, after the record's
   * constructor has run. JSON nulls are kept as {@code NullNode}.
   */
  static Map<String, JsonNode> of(Map<String, JsonNode> extra) {
    return extra == null ? new LinkedHashMap<>() : extra;
  }

  static Map<String, JsonNode> none() {
    return Collections.emptyMap();
  }
}
