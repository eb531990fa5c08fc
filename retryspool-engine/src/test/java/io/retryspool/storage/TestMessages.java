package io.retryspool.storage;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;

import java.time.Instant;
import java.util.function.IntFunction;

/**
 * Builds metadata for storage tests. Times are fixed (never the system clock) and whole milliseconds, so
 * they survive every store, including one that keeps epoch millis. Ids share one zero-padded format, so
 * their order is the same under any collation a database may apply.
 */
public final class TestMessages {

    /** The instant every test's timeline starts at. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static final IntFunction<String> PLAIN_IDS = n -> String.format("msg-%05d", n);
    private static volatile IntFunction<String> ids = PLAIN_IDS;

    private TestMessages() {
    }

    /**
     * Makes {@link #id(int)} give other ids until {@link #usePlainIds()}: a store over several databases needs ids that
     * name one of them.
     *
     * @param idOf the id of the n-th test message
     */
    public static void useIds(IntFunction<String> idOf) {
        ids = idOf;
    }

    /** Makes {@link #id(int)} give the plain ids again. */
    public static void usePlainIds() {
        ids = PLAIN_IDS;
    }

    /**
     * Returns the id of the n-th test message.
     *
     * @param n 0 to 99,999
     * @return an id such as {@code msg-00042}
     */
    public static String id(int n) {
        return ids.apply(n);
    }

    /**
     * Returns a builder for an INCOMING message created at {@link #T0} (and due then), with the builder's
     * defaults for everything else.
     *
     * @param n the message's number, see {@link #id(int)}
     * @return the builder
     */
    public static MessageMetadata.Builder message(int n) {
        return MessageMetadata.builder().id(id(n)).state(QueueState.INCOMING).created(T0);
    }

    /**
     * Returns {@link #T0} plus some seconds.
     *
     * @param seconds seconds after T0 (negative for before)
     * @return the instant
     */
    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }
}
