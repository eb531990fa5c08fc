package io.retryspool.internal.scheduler;

import io.retryspool.ActivityMinute;
import io.retryspool.ProcessingOutcome;
import io.retryspool.SpoolListener;
import io.retryspool.storage.MetaStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The spool's activity per minute across instances. As a listener it counts this instance's enqueues and delivery
 * outcomes per minute in memory (one short synchronized addition each); every {@link #FLUSH_INTERVAL}, run by the
 * scheduler's housekeeping, it adds them to the store's activity records (one upsert per minute with counts, none
 * while idle) and deletes the records older than {@link #RETENTION}. {@link #lastMinutes} sums every instance's
 * records with this instance's counts not yet written, so that an instance sees its own work at once and the others'
 * within a flush interval. Counts that could not be written are kept for the next flush.
 */
public final class ActivityLog implements SpoolListener, Runnable {

    /** How often counts are written to the store. */
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(10);
    /** How long records are kept. */
    public static final Duration RETENTION = Duration.ofHours(2);

    private static final int ENQUEUED = 0;
    private static final int DELIVERED = 1;
    private static final int DEFERRED = 2;
    private static final int BOUNCED = 3;

    private final MetaStore metaStore;
    private final String instanceId;
    private final Clock clock;
    /** Counts not yet written, by minute; guarded by {@code this}. */
    private final TreeMap<Instant, long[]> pending = new TreeMap<>();
    /** The latest minute counted into and its counts in {@link #pending}, so that counting looks nothing up. */
    private @Nullable Instant latestMinute;
    private long @Nullable [] latestCounts;
    private Instant lastPrune = Instant.MIN;

    /**
     * Creates the log.
     *
     * @param metaStore where records are written and read
     * @param instanceId this instance's name in its records
     * @param clock the clock that dates counts
     */
    public ActivityLog(MetaStore metaStore, String instanceId, Clock clock) {
        this.metaStore = metaStore;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    @Override
    public void enqueued(int count) {
        add(ENQUEUED, count);
    }

    @Override
    public void processed(ProcessingOutcome outcome) {
        add(switch (outcome) {
            case DELIVERED -> DELIVERED;
            case DEFERRED -> DEFERRED;
            case BOUNCED -> BOUNCED;
        }, 1);
    }

    /** Writes the counts not yet written, and deletes old records every {@link #RETENTION} / 12. */
    @Override
    public void run() {
        List<ActivityMinute> batch = takePending();
        if (batch.isEmpty()) {
            return;
        }
        try {
            metaStore.recordActivity(instanceId, batch);
        } catch (RuntimeException e) {
            putBack(batch);
            throw e;
        }
        Instant now = clock.instant();
        if (lastPrune.isBefore(now.minus(RETENTION.dividedBy(12)))) {
            metaStore.pruneActivity(now.minus(RETENTION));
            lastPrune = now;
        }
    }

    /**
     * Returns the last minutes, every instance's activity summed, the current minute last.
     *
     * @param minutes how many minutes, at least 1
     * @return one entry per minute, zeros where nothing happened
     */
    public List<ActivityMinute> lastMinutes(int minutes) {
        Instant current = minuteOf(clock.instant());
        Instant first = current.minus(minutes - 1L, ChronoUnit.MINUTES);
        Map<Instant, ActivityMinute> byMinute = new TreeMap<>();
        for (ActivityMinute minute : metaStore.activity(first)) {
            byMinute.merge(minute.start(), minute, ActivityMinute::plus);
        }
        synchronized (this) {
            pending.tailMap(first, true).forEach((start, counts) -> byMinute.merge(start, minute(start, counts),
                    ActivityMinute::plus));
        }
        List<ActivityMinute> result = new ArrayList<>(minutes);
        for (Instant start = first; !start.isAfter(current); start = start.plus(1, ChronoUnit.MINUTES)) {
            result.add(byMinute.getOrDefault(start, ActivityMinute.empty(start)));
        }
        return result;
    }

    private void add(int kind, long count) {
        Instant minute = minuteOf(clock.instant());
        synchronized (this) {
            long[] counts = latestCounts;
            if (counts == null || !minute.equals(latestMinute)) {
                counts = pending.computeIfAbsent(minute, start -> new long[4]);
                latestCounts = counts;
                latestMinute = minute;
            }
            counts[kind] += count;
        }
    }

    private synchronized List<ActivityMinute> takePending() {
        List<ActivityMinute> batch = new ArrayList<>();
        pending.forEach((start, counts) -> batch.add(minute(start, counts)));
        pending.clear();
        latestMinute = null;
        latestCounts = null;
        return batch;
    }

    /** Puts unwritten counts back, except those too old to be kept anyway. */
    private synchronized void putBack(List<ActivityMinute> batch) {
        Instant oldest = clock.instant().minus(RETENTION);
        for (ActivityMinute minute : batch) {
            if (minute.start().isAfter(oldest)) {
                long[] counts = pending.computeIfAbsent(minute.start(), start -> new long[4]);
                counts[ENQUEUED] += minute.enqueued();
                counts[DELIVERED] += minute.delivered();
                counts[DEFERRED] += minute.deferred();
                counts[BOUNCED] += minute.bounced();
            }
        }
    }

    private static ActivityMinute minute(Instant start, long[] counts) {
        return new ActivityMinute(start, counts[ENQUEUED], counts[DELIVERED], counts[DEFERRED], counts[BOUNCED]);
    }

    private static Instant minuteOf(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MINUTES);
    }
}
