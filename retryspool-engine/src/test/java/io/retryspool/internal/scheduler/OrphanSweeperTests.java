package io.retryspool.internal.scheduler;

import io.retryspool.MutableClock;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.storage.MissingBodyException;
import io.retryspool.storage.NewMessage;
import io.retryspool.MessageMetadata;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrphanSweeperTests {

    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryMetaStore metaStore = new InMemoryMetaStore();
    private final InMemoryDataStore dataStore = new InMemoryDataStore(clock);
    private final OrphanSweeper sweeper = new OrphanSweeper(metaStore, dataStore, clock, Duration.ofHours(1));

    @Test
    void bodyWithoutMetadataIsRemovedOnceOlderThanTheGrace() {
        dataStore.store("orphan", new ByteArrayInputStream(new byte[]{1}));
        dataStore.store("kept", new ByteArrayInputStream(new byte[]{2}));
        metaStore.store(new NewMessage(MessageMetadata.builder().id("kept").created(T0).build(), null));

        clock.advance(Duration.ofMinutes(59));
        assertThat(sweeper.sweep()).isZero();
        clock.advance(Duration.ofMinutes(2));

        assertThat(sweeper.sweep()).isEqualTo(1);
        assertThatThrownBy(() -> dataStore.openReader("orphan")).isInstanceOf(MissingBodyException.class);
        assertThat(dataStore.openReader("kept")).isNotNull();
    }

    @Test
    void sweepWalksEveryPageOfStoredBodies() {
        for (int i = 0; i < 1_200; i++) {
            String id = String.format("body-%05d", i);
            dataStore.store(id, new ByteArrayInputStream(new byte[0]));
            if (i % 2 == 0) {
                metaStore.store(new NewMessage(MessageMetadata.builder().id(id).created(T0).build(), null));
            }
        }
        clock.advance(Duration.ofHours(2));

        assertThat(sweeper.sweep()).isEqualTo(600);
        assertThat(dataStore.listIds(clock.instant(), null, 2_000)).hasSize(600);
    }
}
