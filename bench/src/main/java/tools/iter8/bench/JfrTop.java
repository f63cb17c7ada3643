package tools.iter8.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hot spots of a JFR recording (JDK Flight Recorder's {@code jdk.ExecutionSample}, a sampling profiler built into
 * the JVM): per method, the share of CPU samples where it is on top of the stack (self), on the stack at all
 * (inclusive), and the topmost frame of our own code ({@code tools.iter8}) in each sample (who caused the work).
 *
 * <pre>java -cp bench/target/iter8-bench.jar tools.iter8.bench.JfrTop FILE.jfr [--threads PREFIX] [--under METHOD] [--top N]</pre>
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    String threads = null;
    String under = null;
    int top = 15;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--threads" -> threads = args[++i];
        case "--top" -> top = Integer.parseInt(args[++i]);
        case "--under" -> under = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    summarize(file, threads, under, top, System.out);
  }

  /** Prints the three tables; returns the top self method (or empty when there were no samples). */
  public static String summarize(Path file, String threadPrefix, int top, PrintStream out) throws IOException {
    return summarize(file, threadPrefix, null, top, out);
  }

  /** As above, counting only samples with a frame of {@code under} (a method name prefix) on the stack. */
  public static String summarize(Path file, String threadPrefix, String under, int top, PrintStream out)
      throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    Map<String, Integer> byThread = new HashMap<>();
    int samples = 0;
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedThread thread = e.getThread("sampledThread");
        String threadName = thread == null ? "?" : String.valueOf(thread.getJavaName());
        if (threadPrefix != null && !threadName.startsWith(threadPrefix)) {
          continue;
        }
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        samples++;
        byThread.merge(threadName.replaceAll("[-#]?\\d+$", "-N"), 1, Integer::sum);
        List<RecordedFrame> frames = stack.getFrames();
        if (under != null && frames.stream().noneMatch(f -> name(f).startsWith(under))) {
          samples--;
          continue;
        }
        self.merge(name(frames.get(0)), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        String mine = null;
        for (RecordedFrame f : frames) {
          String n = name(f);
          if (seen.add(n)) {
            inclusive.merge(n, 1, Integer::sum);
          }
          if (mine == null && n.startsWith("tools.iter8.")) {
            mine = n;
          }
        }
        ours.merge(mine == null ? "(no tools.iter8 frame)" : mine, 1, Integer::sum);
      }
    }
    out.printf("%d CPU samples%s in %s%n", samples, threadPrefix == null ? "" : " of threads " + threadPrefix + "*",
        file.getFileName());
    print(out, "threads", byThread, samples, 8);
    print(out, "self (top of stack)", self, samples, top);
    print(out, "topmost tools.iter8 frame", ours, samples, top);
    print(out, "inclusive", inclusive, samples, top);
    return self.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
  }

  private static void print(PrintStream out, String title, Map<String, Integer> counts, int total, int top) {
    out.println("-- " + title);
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(top, sorted.size()))) {
      out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey());
    }
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m == null ? "?" : m.getType().getName() + "." + m.getName();
  }
}
