package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The RFC 6902 JSON Patch that turns one JSON tree into another, as controller-runtime's {@code
 * PatchResponseFromRaw} does: the webhook mutates a copy of the raw incoming object and answers with the
 * difference, so it never writes (or drops) a field it did not mean to touch.
 *
 * <p>The ops are few and readable: {@code remove} for a key gone, {@code add} for a new key (with its
 * whole subtree), {@code replace} for a changed scalar; arrays of equal length are compared element by
 * element, otherwise replaced whole (a list iter8 rewrites, such as Knative's {@code spec.traffic}, is
 * replaced rather than edited index by index, which stays correct whatever the list held). Keys are
 * escaped as RFC 6901 says: {@code ~} as {@code ~0}, {@code /} as {@code ~1}, so the annotation {@code
 * iter8.tools/experiment} is {@code /metadata/annotations/iter8.tools~1experiment}.
 */
public final class JsonPatch {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private JsonPatch() {}

  /** The ops from {@code source} to {@code target}; empty when they are equal. */
  public static ArrayNode diff(JsonNode source, JsonNode target) {
    ArrayNode ops = NODES.arrayNode();
    diff("", source, target, ops);
    return ops;
  }

  /** {@code key} escaped as a JSON Pointer segment. */
  public static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static void diff(String path, JsonNode source, JsonNode target, ArrayNode ops) {
    if (source.equals(target)) {
      return;
    }
    if (source.isObject() && target.isObject()) {
      Iterator<String> names = source.fieldNames();
      while (names.hasNext()) {
        String key = names.next();
        if (!target.has(key)) {
          op(ops, "remove", path + "/" + escape(key), null);
        }
      }
      for (Map.Entry<String, JsonNode> f : target.properties()) {
        JsonNode old = source.get(f.getKey());
        String at = path + "/" + escape(f.getKey());
        if (old == null) {
          op(ops, "add", at, f.getValue());
        } else {
          diff(at, old, f.getValue(), ops);
        }
      }
    } else if (source.isArray() && target.isArray() && source.size() == target.size()) {
      for (int i = 0; i < source.size(); i++) {
        diff(path + "/" + i, source.get(i), target.get(i), ops);
      }
    } else {
      op(ops, "replace", path, target);
    }
  }

  private static void op(ArrayNode ops, String op, String path, JsonNode value) {
    ObjectNode o = ops.addObject();
    o.put("op", op);
    o.put("path", path);
    if (value != null) {
      o.set("value", value.deepCopy());
    }
  }
}
