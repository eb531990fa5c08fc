package io.retryspool.internal;

import org.slf4j.Logger;

import java.time.Duration;

/**
 * Logs a task that fails over and over (the database is down, the SQLite file is gone) without flooding the log:
 * the first failure at WARN with its stack trace, then one WARN line a minute while it keeps failing, and one INFO
 * line when it works again. Safe to use from several threads.
 */
public final class RepeatedFailures {

    private static final long REPEAT_NANOS = Duration.ofMinutes(1).toNanos();

    private final Logger log;
    private final String task;
    private final String whatNext;
    private int inARow;
    private long lastLoggedNanos;

    /**
     * Creates a log of one task's failures.
     *
     * @param log where to log
     * @param task what fails, as the start of a sentence ("Claiming due messages")
     * @param whatNext what happens meanwhile ("retrying every 1s")
     */
    public RepeatedFailures(Logger log, String task, String whatNext) {
        this.log = log;
        this.task = task;
        this.whatNext = whatNext;
    }

    /**
     * Logs one more failure, or not if one was logged less than a minute ago.
     *
     * @param error the failure
     */
    public synchronized void failed(Throwable error) {
        inARow++;
        long now = System.nanoTime();
        if (inARow == 1) {
            log.warn("{} failed; {}", task, whatNext, error);
            lastLoggedNanos = now;
        } else if (now - lastLoggedNanos >= REPEAT_NANOS) {
            log.warn("{} still fails ({} times in a row); {}: {}", task, inARow, whatNext, error.toString());
            lastLoggedNanos = now;
        }
    }

    /** Notes a success: logs that the task works again if it failed before. */
    public synchronized void succeeded() {
        if (inARow > 0) {
            log.info("{} works again after {} failure(s)", task, inARow);
            inARow = 0;
        }
    }
}
