package tools.iter8.agent.routing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original's {@code weightObjRef.fieldPath} (a dotted path with list indexes, e.g. {@code
 * .spec.http[0].route[1].weight}) as a JSON Pointer ({@code /spec/http/0/route/1/weight}), the form a
 * JSON Patch and {@link com.fasterxml.jackson.databind.JsonNode#at(String)} take. Member names are
 * escaped, so a name with {@code /} or {@code ~} cannot address another field.
 */
public final class FieldPath {
  private static final Pattern WHOLE = Pattern.compile("^(?:\\.[A-Za-z_][A-Za-z0-9_-]*(?:\\[[0-9]+\\])*)+$");
  private static final Pattern TOKEN = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[([0-9]+)\\]");

  private FieldPath() {}

  public static String toPointer(String fieldPath) {
    if (fieldPath == null || !WHOLE.matcher(fieldPath).matches()) {
      throw new RoutingException(
          "fieldPath \"" + fieldPath + "\" is not a path of field names and list indexes such as"
              + " .spec.http[0].route[1].weight");
    }
    StringBuilder pointer = new StringBuilder();
    Matcher m = TOKEN.matcher(fieldPath);
    while (m.find()) {
      pointer.append('/').append(m.group(1) != null ? JsonPatch.escape(m.group(1)) : m.group(2));
    }
    return pointer.toString();
  }

  /** The pointer of the field's parent, which must exist for a JSON Patch {@code add} to succeed. */
  static String parentOf(String pointer) {
    return pointer.substring(0, pointer.lastIndexOf('/'));
  }
}
