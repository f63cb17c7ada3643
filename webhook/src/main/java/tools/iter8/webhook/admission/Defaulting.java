package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Copies the fields a defaulted resource has and the raw one lacks onto the raw one, and nothing else.
 * Core's defaults only ever fill absent fields, so this gives exactly the defaulted resource while every
 * byte the user wrote (number forms, key order, fields the model does not know) stays as it was: the
 * patch adds fields, it never rewrites one.
 */
final class Defaulting {
  private Defaulting() {}

  /** Adds to {@code raw} (in place) every field of {@code defaulted} it does not have. */
  static void fillAbsent(ObjectNode raw, JsonNode defaulted) {
    for (Map.Entry<String, JsonNode> f : defaulted.properties()) {
      JsonNode have = raw.get(f.getKey());
      JsonNode want = f.getValue();
      if (have == null || have.isNull()) {
        if (want != null && !want.isNull()) {
          raw.set(f.getKey(), want.deepCopy());
        }
      } else if (have instanceof ObjectNode o && want.isObject()) {
        fillAbsent(o, want);
      } else if (have instanceof ArrayNode a && want.isArray() && a.size() == want.size()) {
        for (int i = 0; i < a.size(); i++) {
          if (a.get(i) instanceof ObjectNode o && want.get(i).isObject()) {
            fillAbsent(o, want.get(i));
          }
        }
      }
    }
  }
}
