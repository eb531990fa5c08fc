package io.retryspool.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of the results: what RetrySpool reached in a scenario, what db-scheduler reached in the same run
 * where it ran, latency percentiles where measured, and the target with whether it was met.
 *
 * @param scenario the scenario's name, e.g. {@code pg-enqueue}
 * @param unit the unit of {@code retrySpool} and {@code dbScheduler}, e.g. {@code msg/s}
 * @param retrySpool RetrySpool's figure, or null when it could not be measured
 * @param dbScheduler db-scheduler's figure, or null when no peer ran
 * @param p50Millis the median latency in ms, or null
 * @param p99Millis the 99th-percentile latency in ms, or null
 * @param maxMillis the largest latency in ms, or null
 * @param target the target in words, or null when the scenario has none
 * @param met whether the target was met, or null when there is none
 * @param notes what else a reader needs to judge the figure (counts, time limits hit, errors)
 */
public record ScenarioResult(String scenario, String unit, @Nullable Double retrySpool, @Nullable Double dbScheduler,
        @Nullable Double p50Millis, @Nullable Double p99Millis, @Nullable Double maxMillis, @Nullable String target,
        @Nullable Boolean met, List<String> notes) {

    /** How the first note of a {@linkplain #failed failed} row starts. */
    public static final String FAILED = "FAILED: ";

    /** Checks the row and copies the notes. */
    public ScenarioResult {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(unit, "unit");
        notes = List.copyOf(notes == null ? List.of() : notes);
    }

    /**
     * Starts a row with RetrySpool's figure.
     *
     * @param scenario the scenario's name
     * @param unit the figure's unit
     * @param retrySpool the figure, or null
     * @return a row without peer, latency or target
     */
    public static ScenarioResult of(String scenario, String unit, @Nullable Double retrySpool) {
        return new ScenarioResult(scenario, unit, retrySpool, null, null, null, null, null, null, List.of());
    }

    /**
     * Returns a row for a scenario that could not run.
     *
     * @param scenario the scenario's name
     * @param target its target, or null
     * @param reason why, for the notes
     * @return a row with no figures whose target, if any, counts as not met
     */
    public static ScenarioResult failed(String scenario, @Nullable String target, String reason) {
        return new ScenarioResult(scenario, "-", null, null, null, null, null, target, target == null ? null : false,
                List.of(FAILED + reason));
    }

    /**
     * Returns whether this row reports a scenario, or a part of one, that could not run.
     *
     * @return true for the rows of {@link #failed}
     */
    public boolean isFailed() {
        return retrySpool == null && !notes.isEmpty() && notes.get(0).startsWith(FAILED);
    }

    /**
     * Returns this row with db-scheduler's figure.
     *
     * @param value the peer's figure in the same unit
     * @return the new row
     */
    public ScenarioResult withPeer(Double value) {
        return new ScenarioResult(scenario, unit, retrySpool, value, p50Millis, p99Millis, maxMillis, target, met, notes);
    }

    /**
     * Returns this row with latency percentiles.
     *
     * @param summary the percentiles
     * @return the new row
     */
    public ScenarioResult withLatency(LatencySummary summary) {
        return new ScenarioResult(scenario, unit, retrySpool, dbScheduler, summary.p50Millis(), summary.p99Millis(),
                summary.maxMillis(), target, met, notes);
    }

    /**
     * Returns this row with a target and whether it was met.
     *
     * @param description the target in words
     * @param wasMet whether it was met
     * @return the new row
     */
    public ScenarioResult withTarget(String description, boolean wasMet) {
        return new ScenarioResult(scenario, unit, retrySpool, dbScheduler, p50Millis, p99Millis, maxMillis, description,
                wasMet, notes);
    }

    /**
     * Returns this row with one more note.
     *
     * @param note the note
     * @return the new row
     */
    public ScenarioResult withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new ScenarioResult(scenario, unit, retrySpool, dbScheduler, p50Millis, p99Millis, maxMillis, target, met,
                more);
    }

    /**
     * Returns RetrySpool's figure divided by db-scheduler's, where both were measured.
     *
     * @return the ratio, or null when no peer ran or a figure is missing
     */
    public @Nullable Double ratio() {
        if (retrySpool == null || dbScheduler == null || dbScheduler <= 0) {
            return null;
        }
        return retrySpool / dbScheduler;
    }
}
