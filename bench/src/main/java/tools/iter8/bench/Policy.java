package tools.iter8.bench;

/**
 * A release policy as the simulator drives it: it sets the candidate's share of the next minute's
 * traffic and, at the end of every minute, reads the metrics its own routing produced and may decide.
 * One instance per run.
 */
interface Policy {

  /** The candidate's weight in percent for the coming minute. */
  int candidateWeight();

  /**
   * Called at the end of minute {@code minute} (from 1).
   *
   * @return the decision, or null to keep going
   */
  Outcome afterMinute(int minute, Ledger ledger);

  /** How a run ends for the candidate. */
  enum Outcome {
    PROMOTE,
    ROLLBACK
  }
}
