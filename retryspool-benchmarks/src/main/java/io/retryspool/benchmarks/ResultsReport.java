package io.retryspool.benchmarks;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one run with what it ran on, rendered three ways: a plain-text table for the console, a
 * Markdown page ({@code results.md}) and JSON ({@code results.json}). All three show the same rows.
 *
 * @param started when the run started
 * @param runTime how long it took
 * @param mode quick or full
 * @param command the command that ran it
 * @param machine what it ran on
 * @param results the rows, in the order the scenarios ran
 */
public record ResultsReport(Instant started, Duration runTime, Mode mode, String command, MachineInfo machine,
        List<ScenarioResult> results) {

    /** The columns of the table, in order. */
    public static final List<String> COLUMNS = List.of("scenario", "RetrySpool", "db-scheduler", "ratio", "p50", "p99",
            "target", "met");

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** Copies the rows. */
    public ResultsReport {
        results = List.copyOf(results);
    }

    /**
     * Returns the table's cells, one list per row, as the console and Markdown show them.
     *
     * @return the rows' cells
     */
    public List<List<String>> cells() {
        List<List<String>> rows = new ArrayList<>();
        for (ScenarioResult result : results) {
            rows.add(List.of(result.scenario(), value(result.retrySpool(), result.unit()),
                    value(result.dbScheduler(), result.unit()), ratio(result.ratio()), millis(result.p50Millis()),
                    millis(result.p99Millis()), result.target() == null ? "-" : result.target(), met(result.met())));
        }
        return rows;
    }

    /**
     * Renders the table as aligned plain text, with the notes under it.
     *
     * @return the table
     */
    public String consoleTable() {
        List<List<String>> rows = cells();
        int[] widths = new int[COLUMNS.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = COLUMNS.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, COLUMNS, widths);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.append(rule).append('\n');
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        if (results.stream().anyMatch(result -> !result.notes().isEmpty())) {
            out.append("\nNotes:\n");
            appendNotes(out, "- ");
        }
        return out.toString();
    }

    /**
     * Renders the whole report as Markdown: date, machine, command, table and notes.
     *
     * @return the Markdown page
     */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# RetrySpool benchmark results\n\n");
        out.append("- Date: ").append(DATE.format(started)).append('\n');
        out.append("- Mode: ").append(mode.cliName()).append(" (run took ").append(seconds(runTime)).append(")\n");
        out.append("- Command: `").append(command).append("`\n");
        out.append("- Machine: ").append(machine.processors()).append(" processors (nproc), ").append(machine.memory())
                .append(" memory, ").append(machine.os()).append('\n');
        out.append("- Java: ").append(machine.java()).append(", max heap ")
                .append(String.format(Locale.ROOT, "%.0f MiB", machine.maxHeapMiB())).append(" (Runtime.maxMemory())\n");
        out.append("- PostgreSQL: ").append(machine.postgres()).append('\n');
        out.append("- Peer: db-scheduler ").append(DbSchedulerPeer.VERSION)
                .append(" on the same PostgreSQL, own schema, same run\n\n");
        out.append('|');
        for (String column : COLUMNS) {
            out.append(' ').append(column).append(" |");
        }
        out.append("\n|");
        for (int i = 0; i < COLUMNS.size(); i++) {
            // names and targets read left-aligned, figures right-aligned, the verdict centred
            out.append(i == 0 || i == 6 ? "---|" : i == 7 ? ":---:|" : "---:|");
        }
        out.append('\n');
        for (List<String> row : cells()) {
            out.append('|');
            for (String cell : row) {
                out.append(' ').append(cell.replace("|", "\\|")).append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
        if (results.stream().anyMatch(result -> !result.notes().isEmpty())) {
            out.append("Notes:\n\n");
            appendNotes(out, "- ");
        }
        return out.toString();
    }

    /**
     * Renders the whole report as indented JSON. Figures are numbers (null where not measured), rounded to
     * what the measurement can tell.
     *
     * @return the JSON document
     */
    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", started.toString());
        root.put("mode", mode.cliName());
        root.put("runSeconds", round(runTime.toMillis() / 1000.0, 1));
        root.put("command", command);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("processors", machine.processors());
        host.put("memory", machine.memory());
        host.put("java", machine.java());
        host.put("os", machine.os());
        host.put("postgres", machine.postgres());
        host.put("maxHeapBytes", machine.maxHeapBytes());
        root.put("machine", host);
        root.put("peer", "db-scheduler " + DbSchedulerPeer.VERSION);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ScenarioResult result : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenario", result.scenario());
            row.put("unit", result.unit());
            row.put("retrySpool", round(result.retrySpool(), 2));
            row.put("dbScheduler", round(result.dbScheduler(), 2));
            row.put("ratio", round(result.ratio(), 2));
            row.put("p50Ms", round(result.p50Millis(), 3));
            row.put("p99Ms", round(result.p99Millis(), 3));
            row.put("maxMs", round(result.maxMillis(), 3));
            row.put("target", result.target());
            row.put("met", result.met());
            row.put("notes", result.notes());
            rows.add(row);
        }
        root.put("results", rows);
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(root) + "\n";
    }

    private void appendNotes(StringBuilder out, String bullet) {
        for (ScenarioResult result : results) {
            for (String note : result.notes()) {
                out.append(bullet).append(result.scenario()).append(": ").append(note).append('\n');
            }
        }
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            if (i > 0) {
                out.append(" | ");
            }
            // names and targets read left-aligned, figures right-aligned
            boolean left = i == 0 || i == 6;
            String padding = " ".repeat(widths[i] - cell.length());
            out.append(left ? cell + padding : padding + cell);
        }
        out.append('\n');
    }

    static String value(@Nullable Double value, String unit) {
        if (value == null) {
            return "-";
        }
        return number(value) + " " + unit;
    }

    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String ratio(@Nullable Double ratio) {
        if (ratio == null) {
            return "-";
        }
        return String.format(Locale.ROOT, ratio >= 10 ? "%.0fx" : ratio >= 1 ? "%.1fx" : "%.2fx", ratio);
    }

    static String millis(@Nullable Double millis) {
        return millis == null ? "-" : number(millis) + " ms";
    }

    static String met(@Nullable Boolean met) {
        return met == null ? "-" : met ? "yes" : "NO";
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.0f s", duration.toMillis() / 1000.0);
    }

    private static @Nullable Double round(@Nullable Double value, int decimals) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
