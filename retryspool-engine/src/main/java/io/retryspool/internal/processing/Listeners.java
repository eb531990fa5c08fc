package io.retryspool.internal.processing;

import io.retryspool.ProcessingOutcome;
import io.retryspool.SpoolListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** All registered listeners as one; a listener's exception is logged and does not reach the caller. */
public final class Listeners implements SpoolListener {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<SpoolListener> listeners;

    /**
     * Combines listeners.
     *
     * @param listeners the listeners, called in order
     */
    public Listeners(List<SpoolListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void enqueued(int count) {
        each(listener -> listener.enqueued(count));
    }

    @Override
    public void processed(ProcessingOutcome outcome) {
        each(listener -> listener.processed(outcome));
    }

    @Override
    public void handlerFinished(String handlerName, boolean success, Duration duration) {
        each(listener -> listener.handlerFinished(handlerName, success, duration));
    }

    @Override
    public void changedElsewhere() {
        each(SpoolListener::changedElsewhere);
    }

    @Override
    public void delayWarned(int count) {
        each(listener -> listener.delayWarned(count));
    }

    private void each(Consumer<SpoolListener> call) {
        for (SpoolListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Spool listener {} failed", listener, e);
            }
        }
    }
}
