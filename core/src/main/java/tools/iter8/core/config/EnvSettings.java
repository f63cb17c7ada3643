package tools.iter8.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed settings from environment variables once, at start-up, and collects every bad value so a
 * misconfigured Pod fails with one message listing all of them (DESIGN §3: config typed, read once,
 * validated at start-up). Pure: it reads a map, not the process environment.
 */
public final class EnvSettings {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("^([0-9]+)(ms|s|m|h)$");

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  public EnvSettings(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  private String raw(String key) {
    String v = env.get(key);
    return v == null || v.isBlank() ? null : v.trim();
  }

  public String string(String key, String fallback) {
    String v = raw(key);
    return v == null ? fallback : v;
  }

  public String oneOf(String key, String fallback, Set<String> allowed) {
    String v = string(key, fallback);
    if (v != null && !allowed.contains(v)) {
      problems.add(key + "=" + v + ": expected one of " + String.join(", ", allowed.stream().sorted().toList()));
      return fallback;
    }
    return v;
  }

  public int integer(String key, int fallback, int min, int max) {
    String v = raw(key);
    if (v == null) {
      return fallback;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        problems.add(key + "=" + v + ": expected an integer from " + min + " to " + max);
        return fallback;
      }
      return i;
    } catch (NumberFormatException e) {
      problems.add(key + "=" + v + ": expected an integer from " + min + " to " + max);
      return fallback;
    }
  }

  public boolean bool(String key, boolean fallback) {
    String v = raw(key);
    if (v == null) {
      return fallback;
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    problems.add(key + "=" + v + ": expected true or false");
    return fallback;
  }

  /** A duration as {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT15S}). */
  public Duration duration(String key, Duration fallback) {
    String v = raw(key);
    if (v == null) {
      return fallback;
    }
    Matcher m = SIMPLE_DURATION.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      problems.add(key + "=" + v + ": expected a duration such as 500ms, 15s, 2m or PT15S");
      return fallback;
    }
  }

  /** A comma-separated list; empty entries are dropped. */
  public List<String> list(String key) {
    String v = raw(key);
    if (v == null) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Records a problem found by a cross-field check of the caller. */
  public void problem(String message) {
    problems.add(message);
  }

  /**
   * Ends reading.
   *
   * @throws InvalidConfigException listing every bad setting, if there was any
   */
  public void check(String component) {
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(
          "invalid " + component + " configuration: " + String.join("; ", problems));
    }
  }

  /** A configuration that cannot start the program; the message lists every bad setting. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    public InvalidConfigException(String message) {
      super(message);
    }
  }
}
