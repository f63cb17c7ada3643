package tools.iter8.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The metrics one policy's routing produced, per version: every minute's window and the running total,
 * as a Prometheus fed by that policy's traffic would hold them. Policies read windows (Flagger, Kayenta)
 * or totals since the start (iter8, as the original's {@code $elapsedTime} queries).
 */
final class Ledger {
  private final List<Window> baselineMinutes = new ArrayList<>();
  private final List<Window> candidateMinutes = new ArrayList<>();
  private final Window baselineTotal = new Window();
  private final Window candidateTotal = new Window();

  void record(Window baseline, Window candidate) {
    baselineMinutes.add(baseline);
    candidateMinutes.add(candidate);
    baselineTotal.add(baseline);
    candidateTotal.add(candidate);
  }

  Window total(boolean candidate) {
    return candidate ? candidateTotal : baselineTotal;
  }

  /** The last minute's window. */
  Window lastMinute(boolean candidate) {
    List<Window> minutes = candidate ? candidateMinutes : baselineMinutes;
    return minutes.get(minutes.size() - 1);
  }

  List<Window> minutes(boolean candidate) {
    return candidate ? candidateMinutes : baselineMinutes;
  }
}
