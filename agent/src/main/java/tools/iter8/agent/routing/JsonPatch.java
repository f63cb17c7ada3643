package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import tools.iter8.core.api.ApiMapper;

/**
 * Builds one RFC 6902 JSON Patch, the agent's way of changing a field without owning the object
 * (DESIGN §2.7: never strategic merge or server-side apply). Operations apply in the order added, so a
 * caller that inserts into an array adds that last, after the operations addressing the old indexes.
 *
 * <p>{@code test} operations guard a patch (the API server rejects the whole patch when one fails) and do
 * not count as changes: {@link #isEmpty()} tells whether there is anything to send.
 */
public final class JsonPatch {
  private final ArrayNode ops = ApiMapper.json().createArrayNode();
  private int changes;

  /** A JSON Pointer from unescaped tokens, e.g. {@code pointer("metadata", "annotations", "a/b")}. */
  public static String pointer(Object... tokens) {
    StringBuilder out = new StringBuilder();
    for (Object token : tokens) {
      out.append('/').append(escape(String.valueOf(token)));
    }
    return out.toString();
  }

  /** Escapes one reference token: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** Sets an object member (creating or replacing it) or inserts into an array at an index. */
  public JsonPatch add(String path, JsonNode value) {
    change("add", path).set("value", value.deepCopy());
    return this;
  }

  public JsonPatch add(String path, int value) {
    change("add", path).put("value", value);
    return this;
  }

  public JsonPatch add(String path, String value) {
    change("add", path).put("value", value);
    return this;
  }

  /** Replaces a value that must exist. */
  public JsonPatch replace(String path, JsonNode value) {
    change("replace", path).set("value", value.deepCopy());
    return this;
  }

  /** Removes a value that must exist. */
  public JsonPatch remove(String path) {
    change("remove", path);
    return this;
  }

  /** Makes the whole patch fail unless {@code path} holds {@code value}. */
  public JsonPatch test(String path, String value) {
    ops.addObject().put("op", "test").put("path", path).put("value", value);
    return this;
  }

  /**
   * Sets and removes annotations of {@code object} as it was read: only what differs is sent, and a
   * missing {@code metadata.annotations} map is created whole (a JSON Patch cannot add a member to an
   * absent parent).
   */
  public JsonPatch annotations(JsonNode object, Map<String, String> set, Collection<String> remove) {
    JsonNode current = object.path("metadata").path("annotations");
    if (!current.isObject()) {
      if (!set.isEmpty()) {
        ObjectNode all = ApiMapper.json().createObjectNode();
        set.forEach(all::put);
        add("/metadata/annotations", all);
      }
      return this;
    }
    set.forEach(
        (key, value) -> {
          if (!Objects.equals(current.path(key).textValue(), value)) {
            add(pointer("metadata", "annotations", key), value);
          }
        });
    for (String key : remove) {
      if (current.has(key) && !set.containsKey(key)) {
        remove(pointer("metadata", "annotations", key));
      }
    }
    return this;
  }

  /** Whether the patch changes nothing (it may still hold {@code test} operations). */
  public boolean isEmpty() {
    return changes == 0;
  }

  /** The operations, as sent to the API server. */
  public ArrayNode ops() {
    return ops.deepCopy();
  }

  @Override
  public String toString() {
    return ApiMapper.toJson(ops);
  }

  private ObjectNode change(String op, String path) {
    changes++;
    return ops.addObject().put("op", op).put("path", path);
  }
}
