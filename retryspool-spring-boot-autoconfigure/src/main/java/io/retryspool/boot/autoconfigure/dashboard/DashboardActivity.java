package io.retryspool.boot.autoconfigure.dashboard;

import io.retryspool.ProcessingOutcome;
import io.retryspool.SpoolListener;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What this instance's spool did, per minute over the last hour, for the dashboard's overview: delivery outcomes
 * (delivered, deferred, bounced) and enqueues, in a ring of 60 one-minute slots. Also a change counter that the live
 * view watches. Thread-safe and allocation-free on the listener path.
 */
public final class DashboardActivity implements SpoolListener {

    /** Minutes kept. */
    public static final int MINUTES = 60;

    private final Clock clock;
    private final Map<ProcessingOutcome, AtomicLongArray> outcomes = new EnumMap<>(ProcessingOutcome.class);
    private final AtomicLongArray enqueued = new AtomicLongArray(MINUTES);
    /** The minute (since the epoch) each slot currently holds. */
    private final AtomicLongArray slotMinute = new AtomicLongArray(MINUTES);
    private final AtomicLong changes = new AtomicLong();

    /**
     * Creates the record.
     *
     * @param clock the clock that dates events
     */
    public DashboardActivity(Clock clock) {
        this.clock = clock;
        for (ProcessingOutcome outcome : ProcessingOutcome.values()) {
            outcomes.put(outcome, new AtomicLongArray(MINUTES));
        }
    }

    @Override
    public void enqueued(int count) {
        enqueued.addAndGet(slot(), count);
        changes.incrementAndGet();
    }

    @Override
    public void processed(ProcessingOutcome outcome) {
        outcomes.get(outcome).incrementAndGet(slot());
        changes.incrementAndGet();
    }

    /**
     * Counts every change so far (enqueues and stored outcomes); the live view sends an update when it grows.
     *
     * @return a number that only grows
     */
    public long changes() {
        return changes.get();
    }

    /**
     * Returns the last hour, oldest minute first.
     *
     * @return 60 minutes of counts; minutes without activity count zero
     */
    public List<Minute> lastHour() {
        long now = currentMinute();
        List<Minute> minutes = new ArrayList<>(MINUTES);
        for (long minute = now - MINUTES + 1; minute <= now; minute++) {
            int slot = (int) Math.floorMod(minute, MINUTES);
            boolean current = slotMinute.get(slot) == minute;
            minutes.add(new Minute(minute * 60_000,
                    current ? outcomes.get(ProcessingOutcome.DELIVERED).get(slot) : 0,
                    current ? outcomes.get(ProcessingOutcome.DEFERRED).get(slot) : 0,
                    current ? outcomes.get(ProcessingOutcome.BOUNCED).get(slot) : 0,
                    current ? enqueued.get(slot) : 0));
        }
        return minutes;
    }

    /** The slot of the current minute, cleared first if it still holds an older minute. */
    private int slot() {
        long minute = currentMinute();
        int slot = (int) Math.floorMod(minute, MINUTES);
        long held = slotMinute.get(slot);
        if (held != minute && slotMinute.compareAndSet(slot, held, minute)) {
            outcomes.values().forEach(counts -> counts.set(slot, 0));
            enqueued.set(slot, 0);
        }
        return slot;
    }

    private long currentMinute() {
        return Math.floorDiv(clock.millis(), 60_000);
    }

    /**
     * One minute of activity.
     *
     * @param startMillis when the minute began, in milliseconds since the epoch
     * @param delivered delivery attempts that delivered
     * @param deferred delivery attempts deferred for a retry
     * @param bounced delivery attempts that bounced
     * @param enqueued messages enqueued
     */
    public record Minute(long startMillis, long delivered, long deferred, long bounced, long enqueued) {
    }
}
