package io.retryspool.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;

/**
 * The engine's own background threads: how they are made, how their periodic tasks survive failures, and how
 * their end is awaited.
 */
public final class Threads {

    private static final Logger log = LoggerFactory.getLogger(Threads.class);

    private Threads() {
    }

    /**
     * A factory of daemon threads with one name (the engine's threads never keep a JVM alive). A thread that
     * ends by an exception logs it at ERROR: the engine's loops catch everything, so this means the spool cannot
     * go on, which it then reports ({@code isRunning()} false, health DOWN).
     *
     * @param name the threads' name
     * @return the factory
     */
    public static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((dead, error) -> log.error("RetrySpool engine thread {} stopped; the"
                    + " spool reports itself down (isRunning() is false) until it is restarted", dead.getName(), error));
            return thread;
        };
    }

    /**
     * Wraps a periodic task so that nothing it throws, errors included, stops the schedule it runs on (a
     * {@link java.util.concurrent.ScheduledExecutorService} silently cancels a task that throws).
     *
     * @param what what the task does, for the log
     * @param task the task
     * @return the guarded task
     */
    public static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable e) {
                log.warn("RetrySpool could not {}; trying again at the next run", what, e);
            }
        };
    }

    /**
     * Waits until a thread has ended, also when the waiting thread is interrupted meanwhile.
     *
     * @param thread the thread to wait for
     * @return true if the waiting thread was interrupted; its interrupt status is then clear, for the caller to
     *         restore once it is done
     */
    public static boolean joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }
}
