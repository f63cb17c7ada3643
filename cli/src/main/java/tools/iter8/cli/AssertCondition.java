package tools.iter8.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** What {@code iter8ctl assert -c} can check, each with the message printed when it does not hold. */
public enum AssertCondition {
  /** Stage Completed, or condition Completed=True. */
  COMPLETED("completed") {
    @Override
    public boolean holds(ExperimentFacts e) {
      return e.completed();
    }

    @Override
    public String unmet(ExperimentFacts e) {
      return "experiment has not completed (stage " + (e.stage() == null ? "Pending" : e.stage()) + ", "
          + e.completedIterations() + " of " + e.totalIterations() + " iterations)";
    }
  },
  /** {@code status.analysis.winnerAssessment.data.winnerFound}. */
  WINNER_FOUND("winnerFound") {
    @Override
    public boolean holds(ExperimentFacts e) {
      return e.winnerFound();
    }

    @Override
    public String unmet(ExperimentFacts e) {
      String reason = e.winnerAssessment().map(w -> w.reason()).orElse(null);
      return "no winner found in experiment" + (reason == null ? "" : " (" + reason + ")");
    }
  },
  /** The original's CandidateWon(): exactly one candidate, and it is the winner. */
  CANDIDATE_WON("candidateWon") {
    @Override
    public boolean holds(ExperimentFacts e) {
      return e.candidateWon();
    }

    @Override
    public String unmet(ExperimentFacts e) {
      if (e.candidates().size() != 1) {
        return "candidateWon needs exactly one candidate; the experiment has " + e.candidates().size();
      }
      return "candidate " + e.candidates().get(0) + " did not win (winner: " + e.winner().orElse("not found") + ")";
    }
  },
  /** The Failed condition is not True. */
  NO_FAILURE("noFailure") {
    @Override
    public boolean holds(ExperimentFacts e) {
      return !e.failed();
    }

    @Override
    public String unmet(ExperimentFacts e) {
      return "experiment failed: " + e.failureReason();
    }
  };

  private final String wireName;

  AssertCondition(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public abstract boolean holds(ExperimentFacts e);

  /** Why it does not hold, for the CI log. */
  public abstract String unmet(ExperimentFacts e);

  public static String allowed() {
    return Arrays.stream(values()).map(AssertCondition::wireName).collect(Collectors.joining(", "));
  }

  /** Accepts the wire names ({@code winnerFound}), case-insensitively. */
  public static final class Converter implements ITypeConverter<AssertCondition> {
    @Override
    public AssertCondition convert(String value) {
      return Arrays.stream(values())
          .filter(c -> c.wireName.equalsIgnoreCase(value.trim()))
          .findFirst()
          .orElseThrow(() -> new TypeConversionException(
              "unknown condition '" + value + "'; expected one of " + allowed()));
    }
  }

  /** For picocli's help: the allowed values. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(AssertCondition::wireName).iterator();
    }
  }
}
