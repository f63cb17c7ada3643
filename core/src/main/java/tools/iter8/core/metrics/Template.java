package tools.iter8.core.metrics;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code $}-placeholder template with exactly the rules of Python's {@code string.Template}, which the
 * original Iter8 used for Metric {@code params}, {@code body}, {@code urlTemplate} and
 * {@code headerTemplates} (reference §2.3), so the original's Metrics mean the same here:
 *
 * <ul>
 *   <li>{@code $name} and {@code ${name}} are placeholders; a name is an ASCII letter or underscore followed
 *       by ASCII letters, digits and underscores, matched greedily ({@code $namespace} is never {@code $name}
 *       followed by {@code space}); the braces delimit it ({@code [${elapsedTime}s]}).
 *   <li>{@code $$} is a literal {@code $}.
 *   <li>{@link #safeSubstitute}: a placeholder without a value, and a {@code $} that starts no placeholder,
 *       stay verbatim; it never fails. PromQL such as {@code {le="+Inf"}} or a regex ending in {@code $}
 *       passes through unchanged.
 * </ul>
 *
 * <p>Pure and immutable.
 */
public record Template(String text) {

  /**
   * Python's {@code Template.pattern}: delimiter, then an escaped delimiter, a bare identifier, a braced
   * identifier, or nothing (an invalid placeholder). {@code (?i)} mirrors Python's {@code re.IGNORECASE},
   * which the ASCII character classes make harmless.
   */
  private static final Pattern PLACEHOLDER =
      Pattern.compile(
          "\\$(?:(?<escaped>\\$)|(?<named>[_a-z][_a-z0-9]*)|\\{(?<braced>[_a-z][_a-z0-9]*)}|(?<invalid>))",
          Pattern.CASE_INSENSITIVE);

  public Template {
    Objects.requireNonNull(text, "template text");
  }

  public static Template of(String text) {
    return new Template(text);
  }

  /** {@code Template(text).safe_substitute(values)}. */
  public static String safeSubstitute(String text, Map<String, String> values) {
    return new Template(text).safeSubstitute(values);
  }

  /**
   * Replaces every placeholder that has a value; leaves the others, and stray {@code $}, as written.
   * A {@code null} value counts as no value.
   */
  public String safeSubstitute(Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 16);
    while (m.find()) {
      String replacement;
      if (m.group("escaped") != null) {
        replacement = "$";
      } else {
        String id = m.group("named") != null ? m.group("named") : m.group("braced");
        String value = id == null ? null : values.get(id);
        replacement = value != null ? value : m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The placeholder names in order of first use ({@code get_identifiers()} of Python 3.11). */
  public Set<String> identifiers() {
    Set<String> ids = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      String id = m.group("named") != null ? m.group("named") : m.group("braced");
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  @Override
  public String toString() {
    return text;
  }
}
