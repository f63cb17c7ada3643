package tools.iter8.bench;

/**
 * How one run ended for one policy.
 *
 * @param outcome promoted or rolled back
 * @param minute the minute of the decision
 * @param worseRequests requests served by the worse version over the whole horizon (during the
 *     experiment, and after the decision by whichever version it left serving)
 * @param requests all requests over the horizon
 */
record RunResult(Policy.Outcome outcome, int minute, long worseRequests, long requests) {}
