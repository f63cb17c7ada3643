package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code Metric.spec}, every field of the original: the HTTP query ({@code urlTemplate}, {@code params},
 * {@code body}, {@code method}, {@code headerTemplates}), its credentials ({@code authType},
 * {@code secret}), the jq expression that extracts the number, the metric {@code type}, the metric that
 * gives its {@code sampleSize}, and {@code mock} values. Ours: {@code type: Histogram} (the jq expression
 * yields cumulative buckets {@code [{le, count}]}) and {@code posterior}, the statistical model of the
 * metric.
 */
public record MetricSpec(
    String description,
    String units,
    String provider,
    List<NamedValue> params,
    String body,
    String method,
    String type,
    String sampleSize,
    String authType,
    String secret,
    List<NamedValue> headerTemplates,
    String urlTemplate,
    String jqExpression,
    List<MockValue> mock,
    PosteriorSpec posterior,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public MetricSpec {
    extra = Extras.of(extra);
  }
}
