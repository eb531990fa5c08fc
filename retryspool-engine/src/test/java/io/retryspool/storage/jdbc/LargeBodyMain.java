package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.MessageBody;
import io.retryspool.MessageNotFoundException;
import io.retryspool.RetrySpool;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Round-trips one large body through a JDBC store, for {@link LargeBodyTests}, in a child JVM whose heap is
 * smaller than the body, so that success proves the body was streamed, never held whole. The body is
 * generated from a seed and never stored in memory; the process exits 0 only if the SHA-256 and the length
 * of what it read back equal those of what it generated, 1 if they differ, 2 on bad arguments, 3 on a
 * timeout (and at once on OutOfMemoryError, with {@code -XX:+ExitOnOutOfMemoryError}).
 *
 * <p>Arguments: {@code datastore|engine}, {@code sqlite <database file>|postgresql <jdbc url>}, the body size
 * in bytes and the seed. {@code datastore} writes through {@link JdbcDataStore#store} and reads through
 * {@link JdbcDataStore#openReader}; {@code engine} enqueues through {@link RetrySpool#enqueue(Map, InputStream)}
 * and reads the body back with {@link RetrySpool#openBody} and in a handler.
 */
public final class LargeBodyMain {

    private static final Duration HANDLER_WAIT = Duration.ofMinutes(4);

    private LargeBodyMain() {
    }

    /**
     * Runs one round trip and exits with its verdict.
     *
     * @param args {@code datastore|engine}, {@code sqlite|postgresql}, the file or URL, the size, the seed
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.out.println("usage: LargeBodyMain datastore|engine sqlite|postgresql <file-or-url> <size> <seed>");
            System.exit(2);
        }
        String mode = args[0];
        if (!mode.equals("datastore") && !mode.equals("engine")) {
            System.out.println("mode: expected datastore or engine, was " + mode);
            System.exit(2);
        }
        long size = Long.parseLong(args[3]);
        long seed = Long.parseLong(args[4]);
        System.out.printf("max heap %d MiB, body %d MiB, mode %s on %s%n", Runtime.getRuntime().maxMemory() >> 20,
                size >> 20, mode, args[1]);
        Digest expected = Digest.of(new PseudoRandomInputStream(seed, size));
        System.out.println("generated: " + expected);
        boolean ok;
        try (HikariDataSource dataSource = open(args[1], args[2])) {
            ok = mode.equals("datastore")
                    ? throughDataStore(dataSource, seed, size, expected)
                    : throughEngine(dataSource, seed, size, expected);
        }
        System.out.printf("peak heap used %d MiB%n", peakHeapUsed() >> 20);
        System.out.println(ok ? "OK" : "MISMATCH");
        System.exit(ok ? 0 : 1);
    }

    private static boolean throughDataStore(HikariDataSource dataSource, long seed, long size, Digest expected)
            throws IOException {
        RetrySpoolSchema.migrate(dataSource);
        JdbcDataStore store = new JdbcDataStore(dataSource);
        String id = "large-body";
        long started = System.nanoTime();
        long stored = store.store(id, new PseudoRandomInputStream(seed, size));
        System.out.printf("stored %d bytes in %d ms%n", stored, millisSince(started));
        started = System.nanoTime();
        Digest read;
        try (InputStream in = store.openReader(id)) {
            read = Digest.of(in);
        }
        System.out.printf("read back in %d ms: %s%n", millisSince(started), read);
        return stored == size && read.equals(expected);
    }

    private static boolean throughEngine(HikariDataSource dataSource, long seed, long size, Digest expected)
            throws Exception {
        CompletableFuture<Digest> delivered = new CompletableFuture<>();
        try (RetrySpool spool = RetrySpool.builder()
                .jdbc(dataSource)
                .instanceId("large-body")
                .concurrency(1)
                .pollInterval(Duration.ofMillis(100))
                .handler((context, message, body) -> {
                    try {
                        long started = System.nanoTime();
                        Digest digest = Digest.of(body);
                        System.out.printf("handler read %d of %d bytes in %d ms: %s%n", digest.length(), body.size(),
                                millisSince(started), digest);
                        delivered.complete(digest);
                    } catch (Throwable t) {
                        delivered.completeExceptionally(t);
                        throw t;
                    }
                })
                .build()) {
            long started = System.nanoTime();
            String id = spool.enqueue(Map.of("content", "large"), new PseudoRandomInputStream(seed, size));
            long recordedSize = spool.getMessage(id).metadata().size();
            System.out.printf("enqueued %s (size %d) in %d ms%n", id, recordedSize, millisSince(started));

            started = System.nanoTime();
            Digest opened;
            try (MessageBody body = spool.openBody(id)) {
                opened = Digest.of(body);
                System.out.printf("openBody read %d of %d bytes in %d ms: %s%n", opened.length(), body.size(),
                        millisSince(started), opened);
            }

            spool.start();
            Digest handled = delivered.get(HANDLER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            boolean deleted = awaitDeleted(spool, id);
            System.out.println("delivered message deleted: " + deleted);
            return recordedSize == size && opened.equals(expected) && handled.equals(expected) && deleted;
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.println("the handler did not receive the message within " + HANDLER_WAIT);
            System.exit(3);
            return false;
        }
    }

    private static boolean awaitDeleted(RetrySpool spool, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                spool.getMessage(id);
            } catch (MessageNotFoundException e) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static HikariDataSource open(String kind, String location) {
        switch (kind) {
            case "sqlite":
                return SqliteDataSources.create(Path.of(location));
            case "postgresql":
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(location);
                config.setMaximumPoolSize(4);
                config.setPoolName("large-body");
                return new HikariDataSource(config);
            default:
                System.out.println("kind: expected sqlite or postgresql, was " + kind);
                System.exit(2);
                return null;
        }
    }

    private static long peakHeapUsed() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The SHA-256 and length of a stream, computed as it is read. */
    record Digest(String sha256, long length) {

        static Digest of(InputStream in) throws IOException {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            byte[] buffer = new byte[64 * 1024];
            long length = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha256.update(buffer, 0, n);
                length += n;
            }
            return new Digest(HexFormat.of().formatHex(sha256.digest()), length);
        }

        @Override
        public String toString() {
            return length + " bytes, SHA-256 " + sha256;
        }
    }

    /**
     * {@code size} pseudo-random bytes from a seed: the same seed gives the same bytes however they are read,
     * and nothing but a few counters is held in memory.
     */
    static final class PseudoRandomInputStream extends InputStream {
        private final SplittableRandom random;
        private final long size;
        private long position;
        private long word;
        private int wordBytesLeft;

        PseudoRandomInputStream(long seed, long size) {
            this.random = new SplittableRandom(seed);
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                if (wordBytesLeft == 0) {
                    word = random.nextLong();
                    wordBytesLeft = Long.BYTES;
                }
                b[off + i] = (byte) word;
                word >>>= 8;
                wordBytesLeft--;
            }
            position += n;
            return n;
        }
    }
}
