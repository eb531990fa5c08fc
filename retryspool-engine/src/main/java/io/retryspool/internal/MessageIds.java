package io.retryspool.internal;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * New message ids: time-ordered UUIDs in the layout of RFC 9562 version 7 (48 bits of Unix milliseconds,
 * then 74 random bits). Ids made later sort after ids made earlier, so the primary-key indexes of the
 * JDBC stores grow at their right edge instead of at random pages: fewer pages touched per insert, and
 * fewer full-page images in PostgreSQL's write-ahead log. The random bits come from a {@link SecureRandom},
 * as for {@link UUID#randomUUID()}, so ids stay unique across instances.
 */
final class MessageIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;

    private final LongSupplier millis;

    /** Ids stamped with the wall clock. */
    MessageIds() {
        this(System::currentTimeMillis);
    }

    /** Ids stamped with the given millisecond source (tests). */
    MessageIds(LongSupplier millis) {
        this.millis = millis;
    }

    /** A new id, e.g. {@code 0193a1f2-7c4e-7b1a-9f3c-2d4e5f6a7b8c}. */
    String next() {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long randA = ((random[0] & 0xFFL) << 8 | (random[1] & 0xFFL)) & 0x0FFFL;
        long randB = 0;
        for (int i = 2; i < 10; i++) {
            randB = randB << 8 | (random[i] & 0xFFL);
        }
        long mostSignificant = (millis.getAsLong() & 0xFFFF_FFFF_FFFFL) << 16 | VERSION_7 | randA;
        long leastSignificant = randB & 0x3FFF_FFFF_FFFF_FFFFL | VARIANT_RFC;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
