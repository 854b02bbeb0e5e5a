package dev.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Progress on stderr: on a terminal one line redrawn in place (done / total, docs/s, ETA); otherwise a plain
 * line every few seconds and one at the end, which reads well in a log file.
 */
final class Progress {

    /** How progress is shown: AUTO is BAR (one line redrawn in place) on a terminal, else LINES (every 5 s). */
    enum Mode {
        AUTO, BAR, LINES, NONE
    }

    private static final long LINE_EVERY_NANOS = 5_000_000_000L;
    private static final long BAR_EVERY_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String what;
    private final OptionalLong total;
    private final Mode mode;
    private final long start = System.nanoTime();
    private long done;
    private long skipped;
    private long lastShown = start;
    private int lastWidth;

    Progress(PrintWriter err, String what, OptionalLong total, Mode mode) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.mode = mode == Mode.AUTO ? (terminal(2) ? Mode.BAR : Mode.LINES) : mode;
    }

    static boolean stdoutIsTerminal() {
        return terminal(1);
    }

    /** Linux: where the file descriptor points; elsewhere the JDK's console check. */
    private static boolean terminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    synchronized void add(long docs) {
        done += docs;
        long now = System.nanoTime();
        if (now - lastShown >= (mode == Mode.BAR ? BAR_EVERY_NANOS : LINE_EVERY_NANOS)) {
            show(now);
        }
    }

    /** Lines passed over so far: they leave the total. */
    synchronized void skipped(long lines) {
        skipped = lines;
    }

    synchronized long skippedLines() {
        return skipped;
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** A message of its own line; a bar is cleared first and drawn again below it. */
    synchronized void message(String text) {
        boolean drawn = mode == Mode.BAR && lastWidth > 0;
        if (drawn) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
        }
        err.println(text);
        if (drawn) {
            show(System.nanoTime());
        }
        err.flush();
    }

    /** The run failed: the cursor goes back to a line of its own, for the error. */
    synchronized void abandon() {
        if (mode == Mode.BAR && lastWidth > 0) {
            err.println();
            err.flush();
            lastWidth = 0;
        }
    }

    /** The final state, and the terminal's cursor back on a line of its own. */
    synchronized void finish() {
        show(System.nanoTime());
        if (mode == Mode.BAR) {
            err.println();
        }
        err.flush();
    }

    /** The bar redrawn in place (padded over a longer one), or a line of its own. */
    private void show(long now) {
        String line = line(now);
        if (mode == Mode.BAR) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
        } else if (mode == Mode.LINES) {
            err.println(line);
        }
        err.flush();
        lastShown = now;
    }

    private String line(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder line = new StringBuilder(what).append(": ");
        long all = total.isPresent() ? Math.max(done, total.getAsLong() - skipped) : -1;
        if (all > 0) {
            line.append(String.format(Locale.ROOT, "%,d/%,d docs (%.1f%%)", done, all, 100.0 * done / all));
        } else {
            line.append(String.format(Locale.ROOT, "%,d docs", done));
        }
        line.append(String.format(Locale.ROOT, ", %.1f docs/s, %s elapsed", rate, duration(seconds)));
        if (all > 0 && rate > 0 && done < all) {
            line.append(", ETA ").append(duration((all - done) / rate));
        }
        return line.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }
}
