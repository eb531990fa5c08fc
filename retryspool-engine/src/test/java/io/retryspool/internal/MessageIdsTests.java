package io.retryspool.internal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdsTests {

    @Test
    void idsAreVersion7UuidsCarryingTheirMillisecond() {
        long millis = 1_790_000_000_123L;
        UUID id = UUID.fromString(new MessageIds(() -> millis).next());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsStrings() {
        AtomicLong clock = new AtomicLong(1_790_000_000_000L);
        MessageIds ids = new MessageIds(clock::getAndIncrement);

        String previous = ids.next();
        for (int i = 0; i < 10_000; i++) {
            String next = ids.next();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }

    @Test
    void idsWithinOneMillisecondAreDistinct() {
        MessageIds ids = new MessageIds(() -> 1_790_000_000_000L);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
    }
}
