package io.retryspool.internal;

import java.util.concurrent.ThreadFactory;

/** The engine's own background threads: how they are made and how their end is awaited. */
public final class Threads {

    private Threads() {
    }

    /**
     * A factory of daemon threads with one name (the engine's threads never keep a JVM alive).
     *
     * @param name the threads' name
     * @return the factory
     */
    public static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
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
