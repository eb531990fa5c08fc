package io.retryspool.benchmarks;

import io.retryspool.RetrySpool;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * One large body through a spool on PostgreSQL: streamed in from a {@link GeneratedBody} (never a byte array),
 * delivered to a handler that streams it out again, and checked byte for byte by CRC-32C, all in a JVM whose heap
 * is limited (the harness is launched with {@code -Xmx256m}).
 */
final class BigBodyBenchmark {

    /** The heap the scenario is meant to run in. */
    static final long HEAP_LIMIT_BYTES = 256L * 1024 * 1024;

    private static final long SEED = 0x5EED_B16B0D1L;

    private BigBodyBenchmark() {
    }

    /**
     * What the run measured.
     *
     * @param bytes the body's size
     * @param enqueueNanos how long {@code enqueue} took
     * @param deliveryNanos from {@code start()} to the handler having read the whole body
     * @param intact whether the handler read exactly the bytes that were enqueued
     * @param receivedBytes how many bytes the handler read
     * @param peakHeapBytes the sum of the heap pools' peak usage during the run (an upper bound of the real peak)
     */
    record Outcome(long bytes, long enqueueNanos, long deliveryNanos, boolean intact, long receivedBytes,
            long peakHeapBytes) {

        double mebibytesPerSecond() {
            return bytes / (1024.0 * 1024.0) / ((enqueueNanos + deliveryNanos) / 1e9);
        }
    }

    static Outcome run(BenchmarkContext context, Backend backend) throws Exception {
        long size = context.sizes().bigBodyBytes();
        CountDownLatch delivered = new CountDownLatch(1);
        long[] received = new long[2];
        try (Backend.Store store = backend.open(context);
                RetrySpool spool = store.builder()
                        .handler((messageContext, message, body) -> {
                            CRC32C checksum = new CRC32C();
                            byte[] buffer = new byte[64 * 1024];
                            long count = 0;
                            int read;
                            while ((read = body.read(buffer)) >= 0) {
                                checksum.update(buffer, 0, read);
                                count += read;
                            }
                            received[0] = count;
                            received[1] = checksum.getValue();
                            delivered.countDown();
                        })
                        .instanceId("bench-big-body")
                        .shutdownGrace(Duration.ofSeconds(30))
                        .build()) {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            GeneratedBody body = new GeneratedBody(size, SEED);
            long start = System.nanoTime();
            spool.enqueue(Map.of("type", "benchmark-big-body"), body);
            long enqueued = System.nanoTime();
            context.log("enqueued %,d MiB in %.1f s", size >> 20, (enqueued - start) / 1e9);
            spool.start();
            if (!delivered.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the big body was not delivered within 10 minutes");
            }
            long done = System.nanoTime();
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed())
                    .sum();
            boolean intact = received[0] == size && received[0] == body.produced() && received[1] == body.checksum();
            return new Outcome(size, enqueued - start, done - enqueued, intact, received[0], peak);
        }
    }
}
