package tools.iter8.core.analysis;

/**
 * The verdict on one objective for one version. Three-valued on purpose: a version is judged only once
 * the posterior probability reaches {@code criteria.strength} one way or the other, and until then it is
 * undecided rather than failed (the original counted missing data as a failure).
 */
public enum Verdict {
  MET("met"),
  VIOLATED("violated"),
  UNDECIDED("undecided");

  private final String wireName;

  Verdict(String wireName) {
    this.wireName = wireName;
  }

  /** The word written to {@code versionAssessments.details[].verdict}. */
  public String wireName() {
    return wireName;
  }
}
