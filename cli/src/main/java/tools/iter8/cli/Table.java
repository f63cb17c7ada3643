package tools.iter8.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A text table with the look of the original iter8ctl's tables ({@code olekukonko/tablewriter} with row lines):
 * upper-cased, centred headers; a line between rows; cells that look like decimal numbers right-aligned and all
 * others left-aligned (decided line by line, as tablewriter does); cells wider than 30 characters wrapped at
 * spaces into the raggedness-minimising lines tablewriter chooses.
 *
 * <pre>
 * +--------------------------+---------+--------+
 * |        OBJECTIVE         | DEFAULT | CANARY |
 * +--------------------------+---------+--------+
 * | mean-latency &lt;= 1000.000 | true    | true   |
 * +--------------------------+---------+--------+
 * </pre>
 *
 * <p>Not thread-safe; build, render, discard.
 */
public final class Table {
  /** tablewriter's {@code MAX_ROW_WIDTH}: the width at which cells wrap. */
  static final int WRAP_WIDTH = 30;

  private static final Pattern DECIMAL = Pattern.compile("^-?(?:\\d{1,3}(?:,\\d{3})*|\\d+)(\\.\\d+)?$");
  private static final int TOO_LONG_PENALTY = 100_000;

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(List<String> header) {
    this.header = List.copyOf(header);
  }

  public Table addRow(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.size());
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  /** The table, every line ending with a newline. */
  public String render() {
    int columns = header.size();
    int[] widths = new int[columns];
    List<List<String>> headerLines = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      headerLines.add(cellLines(header.get(c), widths, c));
    }
    List<List<List<String>>> rowLines = new ArrayList<>();
    for (List<String> row : rows) {
      List<List<String>> lines = new ArrayList<>();
      for (int c = 0; c < columns; c++) {
        lines.add(cellLines(row.get(c), widths, c));
      }
      rowLines.add(lines);
    }

    StringBuilder out = new StringBuilder();
    String separator = separator(widths);
    out.append(separator);
    int headerHeight = headerLines.stream().mapToInt(List::size).max().orElse(0);
    for (int line = 0; line < headerHeight; line++) {
      out.append('|');
      for (int c = 0; c < columns; c++) {
        String h = line < headerLines.get(c).size() ? title(headerLines.get(c).get(line)) : "";
        out.append(' ').append(center(h, widths[c])).append(" |");
      }
      out.append('\n');
    }
    out.append(separator);
    for (List<List<String>> row : rowLines) {
      int height = row.stream().mapToInt(List::size).max().orElse(0);
      for (int line = 0; line < height; line++) {
        out.append('|');
        for (int c = 0; c < columns; c++) {
          String s = line < row.get(c).size() ? row.get(c).get(line) : "";
          boolean numeric = DECIMAL.matcher(s.trim()).matches();
          out.append(' ').append(numeric ? padLeft(s, widths[c]) : padRight(s, widths[c])).append(" |");
        }
        out.append('\n');
      }
      out.append(separator);
    }
    return out.toString();
  }

  /**
   * The lines of one cell, widening its column as needed. As tablewriter: the cell's widest line, capped at the
   * wrap width, is the wrapping limit and the column's width, unless a single word is wider.
   */
  private static List<String> cellLines(String text, int[] widths, int column) {
    String[] paragraphs = (text == null ? "" : text).split("\n", -1);
    int max = 0;
    for (String p : paragraphs) {
      max = Math.max(max, width(p));
    }
    max = Math.min(max, WRAP_WIDTH);
    int newMax = max;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < paragraphs.length; i++) {
      if (i > 0) {
        lines.add(" ");
      }
      for (String line : wrap(paragraphs[i], max)) {
        newMax = Math.max(newMax, width(line));
        lines.add(line);
      }
    }
    widths[column] = Math.max(widths[column], newMax);
    return lines;
  }

  /** tablewriter's {@code WrapString}: words at single spaces, the limit raised to the longest word. */
  static List<String> wrap(String s, int limit) {
    String[] words = s.split(" ", -1);
    int lim = limit;
    for (String w : words) {
      lim = Math.max(lim, width(w));
    }
    List<String> lines = new ArrayList<>();
    for (List<String> line : wrapWords(words, lim)) {
      lines.add(String.join(" ", line));
    }
    return lines;
  }

  /** Minimum raggedness: the sum of squared trailing gaps over all lines but the last is smallest. */
  private static List<List<String>> wrapWords(String[] words, int lim) {
    int n = words.length;
    int[][] length = new int[n][n];
    for (int i = 0; i < n; i++) {
      length[i][i] = width(words[i]);
      for (int j = i + 1; j < n; j++) {
        length[i][j] = length[i][j - 1] + 1 + width(words[j]);
      }
    }
    int[] next = new int[n];
    long[] cost = new long[n];
    for (int i = n - 1; i >= 0; i--) {
      cost[i] = Integer.MAX_VALUE;
      if (length[i][n - 1] <= lim) {
        cost[i] = 0;
        next[i] = n;
        continue;
      }
      for (int j = i + 1; j < n; j++) {
        long gap = lim - length[i][j - 1];
        long c = gap * gap + cost[j];
        if (length[i][j - 1] > lim) {
          c += TOO_LONG_PENALTY;
        }
        if (c < cost[i]) {
          cost[i] = c;
          next[i] = j;
        }
      }
    }
    List<List<String>> lines = new ArrayList<>();
    for (int i = 0; i < n; i = next[i]) {
      lines.add(List.of(words).subList(i, next[i]));
    }
    return lines;
  }

  /** tablewriter's header format: underscores and non-numeric dots become spaces, trimmed, upper case. */
  static String title(String name) {
    char[] cs = name.toCharArray();
    for (int i = 0; i < cs.length; i++) {
      if (cs[i] == '_') {
        cs[i] = ' ';
      } else if (cs[i] == '.'
          && ((i != 0 && !numOrSpace(cs[i - 1])) || (i != cs.length - 1 && !numOrSpace(cs[i + 1])))) {
        cs[i] = ' ';
      }
    }
    String t = new String(cs).trim();
    if (t.isEmpty() && !name.isEmpty()) {
      t = " ";
    }
    return t.toUpperCase(Locale.ROOT);
  }

  private static boolean numOrSpace(char c) {
    return (c >= '0' && c <= '9') || c == ' ';
  }

  private static String separator(int[] widths) {
    StringBuilder line = new StringBuilder("+");
    for (int w : widths) {
      line.append("-".repeat(w + 2)).append('+');
    }
    return line.append('\n').toString();
  }

  private static String center(String s, int width) {
    int gap = width - width(s);
    if (gap <= 0) {
      return s;
    }
    int left = gap / 2;
    return " ".repeat(left) + s + " ".repeat(gap - left);
  }

  private static String padLeft(String s, int width) {
    return " ".repeat(Math.max(0, width - width(s))) + s;
  }

  private static String padRight(String s, int width) {
    return s + " ".repeat(Math.max(0, width - width(s)));
  }

  /** Display width, counted in code points (iter8 names and values are ASCII; reasons may hold ≤ and ≥). */
  static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
