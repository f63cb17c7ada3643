package tools.iter8.core.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.iter8.core.api.AggregatedMetric;
import tools.iter8.core.api.AggregatedMetricData;
import tools.iter8.core.api.AggregatedMetricsAnalysis;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.BuiltinHistsAnalysis;
import tools.iter8.core.api.Decision;
import tools.iter8.core.api.ObjectiveAssessment;
import tools.iter8.core.api.Quantity;
import tools.iter8.core.api.VersionAssessmentsAnalysis;
import tools.iter8.core.api.WeightData;
import tools.iter8.core.api.WeightsAnalysis;
import tools.iter8.core.api.WinnerAssessmentAnalysis;
import tools.iter8.core.api.WinnerAssessmentData;

/**
 * Writes the analysis in the original's {@code status.analysis} shapes (reference §1.2), with ours beside
 * them: outcome and reason per aggregated metric, verdict details per objective, the winner's
 * probabilities, and the decision. Every map is in spec order, so the same analysis serialises the same.
 */
final class StatusAssembler {
  static final String PROVENANCE = "iter8 analysis";

  private final ExperimentPlan plan;
  private final Instant now;

  StatusAssembler(ExperimentPlan plan, Instant now) {
    this.plan = plan;
    this.now = now;
  }

  Analysis analysis(
      BuiltinHistsAnalysis builtinHists,
      Map<String, Map<String, Evidence>> evidenceByMetric,
      Map<String, VersionAssessment> assessments,
      WinnerAssessment winner,
      List<WeightData> weights,
      String weightsMessage) {
    return new Analysis(
        builtinHists,
        aggregatedMetrics(evidenceByMetric),
        versionAssessments(assessments),
        new WinnerAssessmentAnalysis(PROVENANCE, now, winner.reason(),
            new WinnerAssessmentData(winner.found(), winner.winner(), winner.bestVersions(), winner.probability(),
                winner.probabilities(), winner.reason(), null),
            null),
        new WeightsAnalysis(PROVENANCE, now, weightsMessage, weights, null),
        null);
  }

  Decision decision(SequentialDecider.Outcome outcome, int iteration) {
    return new Decision(outcome.action().wireName(), outcome.version(), outcome.probability(), outcome.reason(),
        iteration, now, null);
  }

  private AggregatedMetricsAnalysis aggregatedMetrics(Map<String, Map<String, Evidence>> evidenceByMetric) {
    Map<String, AggregatedMetric> data = new LinkedHashMap<>();
    int noData = 0;
    int errors = 0;
    for (Map.Entry<String, Map<String, Evidence>> metric : evidenceByMetric.entrySet()) {
      Map<String, AggregatedMetricData> byVersion = new LinkedHashMap<>();
      for (Map.Entry<String, Evidence> v : metric.getValue().entrySet()) {
        Evidence e = v.getValue();
        noData += e.outcome() == Evidence.Outcome.NO_DATA ? 1 : 0;
        errors += e.outcome() == Evidence.Outcome.ERROR ? 1 : 0;
        byVersion.put(v.getKey(), new AggregatedMetricData(
            null,
            null,
            e.value() == null ? null : Quantity.of(shown(e.value())),
            e.sampleSize() == null ? null : Math.round(e.sampleSize()),
            e.outcome().wireName(),
            e.reason(),
            null));
      }
      data.put(metric.getKey(), new AggregatedMetric(null, null, byVersion, null));
    }
    String message = data.size() + " metrics for " + plan.versions().size() + " versions"
        + (noData > 0 ? "; " + noData + " without data" : "")
        + (errors > 0 ? "; " + errors + " errored" : "");
    return new AggregatedMetricsAnalysis(PROVENANCE, now, message, data, null);
  }

  private VersionAssessmentsAnalysis versionAssessments(Map<String, VersionAssessment> assessments) {
    Map<String, List<Boolean>> data = new LinkedHashMap<>();
    Map<String, List<ObjectiveAssessment>> details = new LinkedHashMap<>();
    List<String> summary = new ArrayList<>();
    // No objectives: empty data, which the original reads as "every version feasible".
    if (!plan.objectives().isEmpty()) {
      for (VersionAssessment a : assessments.values()) {
        List<Boolean> met = new ArrayList<>();
        List<ObjectiveAssessment> detail = new ArrayList<>();
        for (ObjectiveVerdict v : a.objectives()) {
          met.add(v.verdict() == Verdict.MET);
          detail.add(new ObjectiveAssessment(v.metric(), v.verdict().wireName(), v.probability(), v.reason(), null));
        }
        data.put(a.version(), List.copyOf(met));
        details.put(a.version(), List.copyOf(detail));
      }
    }
    for (VersionAssessment a : assessments.values()) {
      summary.add(a.version() + " " + a.feasibility().name().toLowerCase(java.util.Locale.ROOT));
    }
    return new VersionAssessmentsAnalysis(PROVENANCE, now, String.join(", ", summary), data, details, null);
  }

  /** A value to six significant digits: estimates carry no more, and status stays readable. */
  private static double shown(double value) {
    return new BigDecimal(value).round(new MathContext(6)).doubleValue();
  }
}
