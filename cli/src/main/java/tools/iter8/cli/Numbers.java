package tools.iter8.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import tools.iter8.core.api.Quantity;

/**
 * How iter8ctl writes numbers. Metric values and limits follow the original iter8ctl exactly: three decimals
 * rounded toward positive infinity ({@code inf.RoundCeil}), so 330.681818182 shows as 330.682 and 0 as 0.000, and a
 * missing value shows as {@code unavailable}. Probabilities never round to a certainty they are not.
 */
public final class Numbers {
  /** What the original printed for a value it did not have. */
  public static final String UNAVAILABLE = "unavailable";

  private Numbers() {}

  /** A quantity to three decimals with ceiling rounding; {@code unavailable} when absent or not a quantity. */
  public static String format(Quantity q) {
    if (q == null) {
      return UNAVAILABLE;
    }
    return q.decimal().map(Numbers::format).orElse(UNAVAILABLE);
  }

  /** A number to three decimals with ceiling rounding, e.g. 330.681818182 → 330.682, 0 → 0.000. */
  public static String format(BigDecimal value) {
    return value == null ? UNAVAILABLE : round(value).toPlainString();
  }

  /** The value the original compared and printed: three decimals, rounded toward positive infinity. */
  public static BigDecimal round(BigDecimal value) {
    return value.setScale(3, RoundingMode.CEILING);
  }

  /**
   * A probability to three decimals: {@code 0.973}; {@code >0.999} and {@code <0.001} rather than a 1.000 or 0.000
   * that the posterior does not support; {@code unavailable} when absent.
   */
  public static String probability(Double p) {
    if (p == null || p.isNaN()) {
      return UNAVAILABLE;
    }
    if (p > 0.999 && p < 1) {
      return ">0.999";
    }
    if (p > 0 && p < 0.001) {
      return "<0.001";
    }
    return String.format(Locale.ROOT, "%.3f", p);
  }

  /** A duration as Go and kubectl write it: {@code 4m57s}, {@code 1h0m3s}, {@code 45s}, {@code 0s}. */
  public static String duration(Duration d) {
    if (d == null) {
      return UNAVAILABLE;
    }
    long seconds = Math.max(0, d.getSeconds());
    long h = seconds / 3600;
    long m = (seconds % 3600) / 60;
    long s = seconds % 60;
    if (h > 0) {
      return h + "h" + m + "m" + s + "s";
    }
    if (m > 0) {
      return m + "m" + s + "s";
    }
    return s + "s";
  }
}
