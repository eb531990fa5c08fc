package io.retryspool.boot.autoconfigure.dashboard;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The live view's pace: a slow overview slows the updates down instead of keeping the database busy. */
class DashboardEventsTests {

    @Test
    void aSlowOverviewIsComputedAtMostAFifthOfTheTime() throws Exception {
        DashboardChanges changes = new DashboardChanges();
        AtomicInteger computed = new AtomicInteger();
        try (DashboardEvents events = new DashboardEvents(changes, () -> {
            computed.incrementAndGet();
            changes.enqueued(1); // something changes all the time
            sleep(100);
            return "overview";
        }, Duration.ofMillis(10), Duration.ofSeconds(5))) {
            events.events();
            Thread.sleep(2_000);
        }

        // every 10 ms tick would compute about 18 in 2 s; quiet for 5 x 100 ms after each, at most 1 + 4
        assertThat(computed.get()).isBetween(2, 7);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
