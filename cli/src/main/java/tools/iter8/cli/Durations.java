package tools.iter8.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as kubectl takes them ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}), a bare number of
 * seconds, or ISO-8601 ({@code PT5M}).
 */
public final class Durations implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Pattern GO = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    String v = value == null ? "" : value.trim();
    if (v.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    if (GO.matcher(v).matches()) {
      double millis = 0;
      Matcher m = PART.matcher(v);
      while (m.find()) {
        double n = Double.parseDouble(m.group(1));
        millis += switch (m.group(2)) {
          case "ms" -> n;
          case "s" -> n * 1_000;
          case "m" -> n * 60_000;
          default -> n * 3_600_000;
        };
      }
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration; use e.g. 30s, 5m, 1h30m, 500ms or a number of seconds");
    }
  }
}
