package io.retryspool.internal.processing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.retryspool.MutableClock;
import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.RetryableException;
import io.retryspool.retry.ExponentialRetryPolicy;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** A deferral is logged at DEBUG with the message id, the attempt that failed and when the next one is due. */
class DeferralLoggingTests {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final MessageHandler FAILING = (context, message, body) -> {
        throw new RetryableException("mail server busy");
    };

    private final MutableClock clock = new MutableClock(START);
    private final RetrySpool spool = RetrySpool.builder()
            .metaStore(new InMemoryMetaStore()).dataStore(new InMemoryDataStore()).clock(clock)
            .retryPolicy(ExponentialRetryPolicy.ofIntervals(Duration.ofMinutes(1), Duration.ofMinutes(5)))
            .build();
    private final Logger processorLog = (Logger) LoggerFactory.getLogger(MessageProcessor.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void captureTheProcessorsLog() {
        levelBefore = processorLog.getLevel();
        processorLog.setLevel(Level.DEBUG);
        logs.start();
        processorLog.addAppender(logs);
    }

    @AfterEach
    void restoreTheProcessorsLog() {
        processorLog.detachAppender(logs);
        processorLog.setLevel(levelBefore);
        spool.close();
    }

    @Test
    void eachDeferralIsLoggedAtDebugWithTheMessageIdTheAttemptAndTheNextRetry() {
        String id = spool.enqueue(Map.of(), new byte[]{1});

        spool.process(id, FAILING);
        clock.advance(Duration.ofMinutes(1));
        spool.process(id, FAILING);

        assertThat(deferrals()).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage).containsExactly(
                tuple(Level.DEBUG, "Message " + id + " deferred after attempt 1; next retry at "
                        + START.plus(Duration.ofMinutes(1))),
                tuple(Level.DEBUG, "Message " + id + " deferred after attempt 2; next retry at "
                        + START.plus(Duration.ofMinutes(6))));
        assertThat(spool.getMessage(id).metadata().nextRetry()).isEqualTo(START.plus(Duration.ofMinutes(6)));
    }

    @Test
    void aDeliveryIsNotLoggedAsADeferral() {
        String id = spool.enqueue(Map.of(), new byte[]{1});

        spool.process(id, (context, message, body) -> { });

        assertThat(deferrals()).isEmpty();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("Message " + id + " is now done and deleted");
    }

    private List<ILoggingEvent> deferrals() {
        return logs.list.stream().filter(event -> event.getFormattedMessage().contains(" deferred after attempt "))
                .toList();
    }
}
