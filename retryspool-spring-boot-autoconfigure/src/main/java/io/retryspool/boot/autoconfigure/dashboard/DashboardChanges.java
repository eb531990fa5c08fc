package io.retryspool.boot.autoconfigure.dashboard;

import io.retryspool.ProcessingOutcome;
import io.retryspool.SpoolListener;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the changes that the dashboard's live view sends an update for: this instance's enqueues and stored
 * outcomes, and the changes other instances made as the store's notifications tell (PostgreSQL's LISTEN/NOTIFY;
 * on SQLite, whose store sends none, the view's heartbeat finds them). Registered with the spool as a listener.
 */
public final class DashboardChanges implements SpoolListener {

    private final AtomicLong changes = new AtomicLong();

    @Override
    public void enqueued(int count) {
        changes.incrementAndGet();
    }

    @Override
    public void processed(ProcessingOutcome outcome) {
        changes.incrementAndGet();
    }

    @Override
    public void changedElsewhere() {
        changes.incrementAndGet();
    }

    /**
     * Counts every change so far; the live view sends an update when it grows.
     *
     * @return a number that only grows
     */
    public long changes() {
        return changes.get();
    }
}
