package tools.iter8.core.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity such as {@code 250m}, {@code "330681818182n"}, {@code 1Ki} or {@code 50}.
 *
 * <p>Objective limits and aggregated metric values are quantities in the original API. The text is kept
 * exactly as written (and whether it was a JSON number or a string), so a resource read and written back
 * is unchanged; {@link #value()} gives the number. An unparsable text is kept too, so that validation can
 * report it with its field path instead of the parser failing on the whole document.
 */
@JsonSerialize(using = Quantity.Serializer.class)
@JsonDeserialize(using = Quantity.Deserializer.class)
public record Quantity(String text, boolean numeric) {

  /** The grammar of {@code k8s.io/apimachinery/pkg/api/resource.Quantity}. */
  public static final Pattern SYNTAX =
      Pattern.compile(
          "^(?<num>[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
              + "(?<suffix>(?:[KMGTPE]i)|[numkMGTPE]|(?:[eE][+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)))?$");

  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

  public Quantity {
    if (text == null) {
      throw new IllegalArgumentException("quantity text must not be null");
    }
  }

  /** A quantity written as a string, e.g. {@code "250m"}. */
  public static Quantity of(String text) {
    return new Quantity(text, false);
  }

  /**
   * A quantity for a computed value, in the plain decimal form the original analytics wrote
   * ({@code str(float)}), e.g. {@code "0.0123"}.
   */
  public static Quantity of(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("a quantity must be finite, got " + value);
    }
    return new Quantity(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString(), false);
  }

  /** Whether the text follows the Kubernetes quantity grammar. */
  public boolean isValid() {
    return SYNTAX.matcher(text.trim()).matches();
  }

  /** The exact value, or empty when the text is not a quantity. */
  public Optional<BigDecimal> decimal() {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    BigDecimal number = new BigDecimal(m.group("num"));
    String suffix = m.group("suffix");
    if (suffix == null || suffix.isEmpty()) {
      return Optional.of(number);
    }
    BigDecimal multiplier = SUFFIXES.get(suffix);
    if (multiplier != null) {
      return Optional.of(number.multiply(multiplier));
    }
    // Decimal exponent, e.g. 1e3 or 12E-2.
    int exponent = new BigDecimal(suffix.substring(1)).intValueExact();
    return Optional.of(number.scaleByPowerOfTen(exponent));
  }

  /**
   * The value as a double.
   *
   * @throws IllegalStateException when the text is not a quantity (validation reports that first)
   */
  public double value() {
    return decimal()
        .orElseThrow(() -> new IllegalStateException("not a quantity: '" + text + "'"))
        .doubleValue();
  }

  @Override
  public String toString() {
    return text;
  }

  /** Writes the text back in the form it was read: a JSON number or a string. */
  static final class Serializer extends JsonSerializer<Quantity> {
    @Override
    public void serialize(Quantity q, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (q.numeric()) {
        // Typed numbers, not raw text: a token buffer (valueToTree) would otherwise turn 300 into
        // 300.0, which kube-apiserver rejects in an int-or-string field.
        String t = q.text().trim();
        if (t.matches("[+-]?[0-9]+")) {
          gen.writeNumber(new BigInteger(t));
          return;
        }
        try {
          gen.writeNumber(new BigDecimal(t));
        } catch (NumberFormatException notANumber) {
          // A number no JSON can hold ("Infinity" from YAML's 2e2000): kept as text for validation to report.
          gen.writeString(q.text());
        }
      } else {
        gen.writeString(q.text());
      }
    }
  }

  /** Accepts a JSON number or string; anything else is a parse error naming the expected form. */
  static final class Deserializer extends JsonDeserializer<Quantity> {
    @Override
    public Quantity deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        String text = p.getText();
        // A YAML number past a double's range arrives through a tree as "Infinity": not a quantity, and no JSON
        // number either, so it is kept as a string that validation reports with its field path.
        boolean finite = t == JsonToken.VALUE_NUMBER_INT || !(text.contains("Infinity") || text.contains("NaN"));
        return new Quantity(text, finite);
      }
      if (t == JsonToken.VALUE_STRING) {
        return new Quantity(p.getText(), false);
      }
      return (Quantity)
          ctxt.handleUnexpectedToken(
              Quantity.class, t, p, "expected a quantity: a number or a string such as \"250m\"");
    }
  }
}
