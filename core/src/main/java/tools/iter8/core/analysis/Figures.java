package tools.iter8.core.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How numbers are written in the reasons in status: short, and the same on every machine. */
final class Figures {
  private Figures() {}

  /** A measured value or distribution parameter, to four significant digits: {@code 2389}, {@code 0.0123}. */
  static String number(double x) {
    if (!Double.isFinite(x)) {
      return String.valueOf(x);
    }
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** A probability, to three decimals, never rounded to a certainty it is not: {@code 0.981}, {@code >0.999}. */
  static String probability(double p) {
    if (p > 0.999 && p < 1) {
      return ">0.999";
    }
    if (p > 0 && p < 0.001) {
      return "<0.001";
    }
    return String.format(Locale.ROOT, "%.3f", p);
  }

  /** A count of requests or observations, rounded: {@code 2400}. */
  static String count(double n) {
    return Long.toString(Math.round(n));
  }
}
