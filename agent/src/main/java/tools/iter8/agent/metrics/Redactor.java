package tools.iter8.agent.metrics;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes credentials from text that may reach a log, a status or an event: every Secret value a query
 * used, in the forms it can take on the wire (as is, URL-encoded, and base64 {@code user:password} of
 * Basic authentication). Messages are built without credentials in the first place (they show the
 * {@code urlTemplate}, not the URL); this is the safety net for text we do not control, such as exception
 * messages that quote a host or a URI, and response bodies that echo a request.
 */
final class Redactor {
  static final String MASK = "<redacted>";
  static final Redactor NONE = new Redactor(List.of());

  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** Redacts these values and their encodings; blank values are ignored. */
  static Redactor of(Collection<String> values, String basicUser, String basicPassword) {
    Set<String> all = new LinkedHashSet<>();
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        all.add(v);
        all.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
        all.add(v.strip());
      }
    }
    if (basicUser != null && basicPassword != null) {
      all.add(
          Base64.getEncoder()
              .encodeToString((basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8)));
    }
    all.removeIf(String::isBlank);
    List<String> longestFirst = new ArrayList<>(all);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(longestFirst));
  }

  String redact(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return out;
  }
}
