package io.retryspool.internal.scheduler;

import io.retryspool.Message;
import io.retryspool.MessageMetadata;
import io.retryspool.SpoolListener;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.internal.processing.MessageProcessor;
import io.retryspool.storage.MetaStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Issues delay warnings: finds messages still undelivered {@code delayWarning} after they were created, records
 * their warning in the store ({@link MetaStore#claimDelayWarnings}, once per message across all instances) and then
 * tells every {@link DelayWarningHandler}, in order. A handler's exception is logged and the next handler is still
 * called; the warning is not repeated (at most once per message). Looks once every {@link #INTERVAL} by the spool's
 * clock, and sooner while the previous run stopped at its bound with overdue messages left: the scheduler offers it
 * a run every poll interval, and a run that comes too soon returns at once without touching the store. A run claims
 * batches of {@value #BATCH}, at most {@value #MAX_BATCHES_PER_RUN} of them, and stops early when its thread is
 * interrupted (the spool stops); the messages of a batch already claimed are still reported. A message whose row
 * another transaction holds during a run is skipped by it and reported by a later run (on MariaDB/MySQL a delivery
 * claim's scan holds the first row not yet due in its range until it commits). Does nothing when the delay warning
 * is zero.
 */
public final class DelayWarner implements Runnable {

    /** How often the store is asked for overdue messages when none were left over. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);
    static final int BATCH = 100;
    static final int MAX_BATCHES_PER_RUN = 10;

    private static final Logger log = LoggerFactory.getLogger(DelayWarner.class);

    private final MetaStore metaStore;
    private final Duration delayWarning;
    private final List<DelayWarningHandler> handlers;
    private final SpoolListener listener;
    private final Clock clock;
    private @Nullable Instant lastRun;
    private boolean leftOver;

    /**
     * Creates a warner.
     *
     * @param metaStore where warnings are claimed
     * @param delayWarning how long after its creation an undelivered message is reported; zero for never
     * @param handlers the handlers to tell, in order
     * @param listener hears how many messages were reported
     * @param clock the spool's clock
     */
    public DelayWarner(MetaStore metaStore, Duration delayWarning, List<DelayWarningHandler> handlers,
                       SpoolListener listener, Clock clock) {
        this.metaStore = metaStore;
        this.delayWarning = delayWarning;
        this.handlers = List.copyOf(handlers);
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Tells whether delay warnings are on.
     *
     * @return false when the delay warning is zero
     */
    public boolean enabled() {
        return !delayWarning.isZero();
    }

    /**
     * Warns about overdue messages now, up to {@value #MAX_BATCHES_PER_RUN} batches.
     *
     * @return how many messages were warned about
     */
    public int warn() {
        if (!enabled()) {
            return 0;
        }
        int warned = 0;
        leftOver = false;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN && !Thread.currentThread().isInterrupted(); batch++) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<MessageMetadata> overdue = metaStore.claimDelayWarnings(now.minus(delayWarning), now, BATCH);
            if (!overdue.isEmpty()) {
                listener.delayWarned(overdue.size());
            }
            overdue.forEach(metadata -> tell(metadata, now));
            warned += overdue.size();
            leftOver = overdue.size() == BATCH;
            if (!leftOver) {
                break;
            }
        }
        return warned;
    }

    /** Warns if {@link #INTERVAL} has passed on the spool's clock since the last run, or that run left some over. */
    @Override
    public synchronized void run() {
        Instant now = clock.instant();
        if (!enabled() || !leftOver && lastRun != null && now.isBefore(lastRun.plus(INTERVAL))) {
            return;
        }
        lastRun = now;
        int warned = warn();
        if (warned > 0) {
            log.info("Issued delay warnings for {} message(s) still undelivered {} after they were enqueued{}", warned,
                    delayWarning, leftOver ? "; more are overdue and follow at the next poll" : "");
        }
    }

    /** Tells every handler about one message, with its id in the MDC; a handler's failure is logged, not thrown. */
    private void tell(MessageMetadata metadata, Instant now) {
        Message message = Message.of(metadata);
        Duration waited = Duration.between(metadata.created(), now);
        log.debug("Message {} is still {} {} after it was enqueued; issuing its delay warning", metadata.id(),
                metadata.state(), waited);
        MDC.put(MessageProcessor.MDC_MESSAGE_ID, metadata.id());
        try {
            for (DelayWarningHandler handler : handlers) {
                try {
                    handler.delayed(message, waited);
                } catch (Throwable e) {
                    log.warn("Delay warning handler {} failed for message {}; the warning is not repeated",
                            handler.getClass().getName(), metadata.id(), e);
                }
            }
        } finally {
            MDC.remove(MessageProcessor.MDC_MESSAGE_ID);
        }
    }
}
