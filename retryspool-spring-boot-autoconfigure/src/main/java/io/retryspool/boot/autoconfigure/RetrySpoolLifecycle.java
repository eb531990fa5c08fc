package io.retryspool.boot.autoconfigure;

import io.retryspool.RetrySpool;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * Starts the spool's workers with the application context ({@code retryspool.auto-start}) and stops them,
 * within {@code retryspool.worker.shutdown-grace}, when it closes. Runs in the last phase, so workers start
 * after, and stop before, everything they may call.
 */
public class RetrySpoolLifecycle implements SmartLifecycle {

    private final RetrySpool spool;
    private final boolean autoStart;
    private final Duration shutdownGrace;

    /**
     * Creates the lifecycle.
     *
     * @param spool the spool
     * @param autoStart whether to start with the context
     * @param shutdownGrace how long stopping waits for running handlers
     */
    public RetrySpoolLifecycle(RetrySpool spool, boolean autoStart, Duration shutdownGrace) {
        this.spool = spool;
        this.autoStart = autoStart;
        this.shutdownGrace = shutdownGrace;
    }

    @Override
    public void start() {
        spool.start();
    }

    @Override
    public void stop() {
        spool.stop(shutdownGrace);
    }

    @Override
    public boolean isRunning() {
        return spool.isRunning();
    }

    @Override
    public boolean isAutoStartup() {
        return autoStart;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
