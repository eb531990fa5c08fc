package io.retryspool.boot.autoconfigure.metrics;

import io.retryspool.RetrySpool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A reading of the spool shared by several gauges: taken again on a scrape when it is older than the refresh interval
 * (one reading per interval however many gauges read it, and none while nothing scrapes), and null while there is no
 * spool or the store cannot be read — logged once at WARN when that starts and at INFO when it ends.
 *
 * @param <T> what is read
 */
final class CachedReading<T> {

    private final Supplier<? extends @Nullable RetrySpool> spool;
    private final Function<RetrySpool, T> read;
    private final Duration refresh;
    private final Clock clock;
    private final Logger log;
    private final String what;
    private final ReentrantLock refreshLock = new ReentrantLock();

    private volatile @Nullable Reading<T> current;
    private volatile boolean failing;

    /**
     * Creates the reading.
     *
     * @param spool supplies the spool (null while there is none)
     * @param read reads the spool
     * @param refresh how old a reading may grow before it is taken again
     * @param clock the clock that dates readings
     * @param log where failures are reported
     * @param what what is read, for the log, e.g. "RetrySpool message counts"
     */
    CachedReading(Supplier<? extends @Nullable RetrySpool> spool, Function<RetrySpool, T> read, Duration refresh,
                  Clock clock, Logger log, String what) {
        this.spool = spool;
        this.read = read;
        this.refresh = refresh;
        this.clock = clock;
        this.log = log;
        this.what = what;
    }

    /**
     * Returns the current reading, taking a new one when it is missing or too old.
     *
     * @return the value, or null while there is no spool or it cannot be read
     */
    @Nullable T get() {
        Reading<T> reading = current;
        if (reading != null && isFresh(reading)) {
            return reading.value;
        }
        refreshLock.lock();
        try {
            reading = current;
            if (reading == null || !isFresh(reading)) {
                reading = take();
                current = reading;
            }
            return reading.value;
        } finally {
            refreshLock.unlock();
        }
    }

    private boolean isFresh(Reading<T> reading) {
        Duration age = Duration.between(reading.takenAt, clock.instant());
        return !age.isNegative() && age.compareTo(refresh) < 0;
    }

    private Reading<T> take() {
        Instant now = clock.instant();
        try {
            RetrySpool target = spool.get();
            if (target == null) {
                return new Reading<>(null, now);
            }
            T value = read.apply(target);
            if (failing) {
                failing = false;
                log.info("{} can be read again", what);
            }
            return new Reading<>(value, now);
        } catch (RuntimeException ex) {
            if (!failing) {
                failing = true;
                log.warn("Cannot read {} for the metrics; the gauges report NaN until it works: {}", what, ex.toString());
            } else {
                log.debug("Cannot read {} for the metrics", what, ex);
            }
            return new Reading<>(null, now);
        }
    }

    private record Reading<T>(@Nullable T value, Instant takenAt) {
    }
}
