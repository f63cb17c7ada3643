package tools.iter8.agent.tasks;

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
 * Removes a task's Secret values from text that may reach status, an Event or a log: as is, URL-encoded,
 * and as the base64 {@code user:password} of Basic authentication. Task messages are built without
 * credentials in the first place (they show the URL as written, not as filled in); this is the safety net
 * for text we do not control, such as exception messages quoting a URI and response bodies echoing a
 * request. (The metrics sources keep their own, package-private equivalent.)
 */
final class Redaction {
  static final String MASK = "<redacted>";
  static final Redaction NONE = new Redaction(List.of());

  private final List<String> secrets;

  private Redaction(List<String> secrets) {
    this.secrets = secrets;
  }

  /** Redacts these values and their encodings; blank values are ignored. */
  static Redaction of(Collection<String> values, String basicUser, String basicPassword) {
    Set<String> all = new LinkedHashSet<>();
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        all.add(v);
        all.add(v.strip());
        all.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    }
    if (basicUser != null && basicPassword != null) {
      all.add(Base64.getEncoder().encodeToString((basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8)));
    }
    all.removeIf(String::isBlank);
    List<String> longestFirst = new ArrayList<>(all);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    return new Redaction(List.copyOf(longestFirst));
  }

  String apply(String text) {
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
