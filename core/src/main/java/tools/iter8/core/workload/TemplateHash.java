package tools.iter8.core.workload;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Identifies a version of a workload: the first 16 hex digits of the SHA-256 of the canonical JSON of its
 * pod template (or predictor). Canonical means object keys sorted, no whitespace, {@code null} fields
 * dropped (an absent field and a null one are the same field to the API server), and numbers written in
 * their shortest exact form ({@code 1.0} is {@code 1}).
 *
 * <p>Annotations under {@code iter8.tools/} in the template's {@code metadata.annotations} (or a KServe
 * component's {@code annotations}) are ignored, and so is an annotations map left empty without them: a
 * Kustomize {@code commonAnnotations} puts the workload's iter8 settings there too, and changing a setting
 * is not a new version. Everything else counts, including
 * {@code kubectl.kubernetes.io/restartedAt}: a restart is a new rollout.
 *
 * <p>The webhook records these hashes on the workload; the agent recomputes them to recognise versions
 * and to notice writes that bypassed the webhook. Pure and thread-safe.
 */
public final class TemplateHash {
  /** Hex digits kept: 64 bits, collision-free for any realistic number of versions of one workload. */
  public static final int LENGTH = 16;

  private TemplateHash() {}

  /** The hash of a workload's version part (see {@link WorkloadKind#template}). */
  public static String of(WorkloadKind kind, JsonNode object) {
    return of(kind.template(object));
  }

  /** The hash of a template; a missing template hashes like {@code null}. */
  public static String of(JsonNode template) {
    return sha256(canonicalJson(template)).substring(0, LENGTH);
  }

  /** The full SHA-256 of a text, as 64 lower-case hex digits. */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The canonical JSON the hash is taken of, without the ignored annotations. */
  public static String canonicalJson(JsonNode template) {
    StringBuilder out = new StringBuilder(1024);
    write(withoutIter8Annotations(template), out);
    return out.toString();
  }

  /**
   * The template without {@code iter8.tools/} keys in {@code metadata.annotations} (pod templates) and
   * {@code annotations} (KServe components); the template itself when it has none.
   */
  private static JsonNode withoutIter8Annotations(JsonNode template) {
    if (template == null || !template.isObject()
        || (!hasIter8Key(template.path("metadata").path("annotations"))
            && !hasIter8Key(template.path("annotations")))) {
      return template;
    }
    ObjectNode copy = ((ObjectNode) template).deepCopy();
    if (copy.path("metadata") instanceof ObjectNode metadata) {
      removeIter8Keys(metadata);
    }
    removeIter8Keys(copy);
    return copy;
  }

  private static boolean hasIter8Key(JsonNode annotations) {
    if (!annotations.isObject()) {
      return false;
    }
    for (var it = annotations.fieldNames(); it.hasNext(); ) {
      if (WorkloadKeys.isIter8(it.next())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes the iter8 keys from {@code owner.annotations}, and the map itself when nothing else is left in
   * it: an overlay that added only iter8 annotations must hash like the base without them.
   */
  private static void removeIter8Keys(ObjectNode owner) {
    if (owner.path("annotations") instanceof ObjectNode annotations) {
      List<String> iter8 = new ArrayList<>();
      annotations.fieldNames().forEachRemaining(k -> {
        if (WorkloadKeys.isIter8(k)) {
          iter8.add(k);
        }
      });
      annotations.remove(iter8);
      if (annotations.isEmpty()) {
        owner.remove("annotations");
      }
    }
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      out.append("null");
    } else if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      fields.sort(Map.Entry.comparingByKey());
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> f : fields) {
        JsonNode value = f.getValue();
        if (value == null || value.isNull() || value.isMissingNode()) {
          continue;
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        string(f.getKey(), out);
        out.append(':');
        write(value, out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isTextual()) {
      string(node.textValue(), out);
    } else if (node.isNumber()) {
      out.append(number(node));
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else {
      // Binary or POJO nodes do not come from JSON text; write them as their text form.
      string(node.asText(), out);
    }
  }

  private static String number(JsonNode n) {
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue().toString();
    }
    BigDecimal d = n.decimalValue().stripTrailingZeros();
    return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, out);
    out.append('"');
  }
}
