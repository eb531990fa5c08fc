package io.retryspool.boot.autoconfigure.jpaoutbox;

import io.retryspool.RetrySpool;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Books visits and enqueues their reminders in the same {@code @Transactional} methods, as an application would. */
@Service
public class BookingService {

    private final VisitRepository visits;
    private final RetrySpool spool;
    private final ReminderService reminders;

    BookingService(VisitRepository visits, RetrySpool spool, ReminderService reminders) {
        this.visits = visits;
        this.spool = spool;
        this.reminders = reminders;
    }

    /** Saves a visit and enqueues its reminder. */
    @Transactional
    public String book(String description) {
        visits.save(new Visit(description));
        return spool.enqueue(Map.of("visit", description), description.getBytes(StandardCharsets.UTF_8));
    }

    /** Saves a visit, enqueues its reminder, then fails. */
    @Transactional
    public void bookThenFail(String description) {
        book(description);
        throw new IllegalStateException("the booking failed after the reminder was enqueued");
    }

    /** Saves a visit, enqueues, saves another visit (flushed), then fails. */
    @Transactional
    public void writeEnqueueWriteThenFail(String description) {
        visits.save(new Visit(description + " first"));
        spool.enqueue(Map.of("visit", description), description.getBytes(StandardCharsets.UTF_8));
        visits.saveAndFlush(new Visit(description + " second"));
        throw new IllegalStateException("the booking failed after the second write");
    }

    /** Saves a visit, has the reminder enqueued in a transaction of its own, then fails. */
    @Transactional
    public void bookWithIndependentReminderThenFail(String description) {
        visits.save(new Visit(description));
        reminders.enqueueInOwnTransaction(description);
        throw new IllegalStateException("the booking failed; the independent reminder stays");
    }

    /** Saves a visit; a nested step enqueues and fails (caught); then the reminder is enqueued and all commits. */
    @Transactional
    public void bookWithAFailedNestedStep(String description) {
        visits.save(new Visit(description));
        try {
            reminders.enqueueNestedThenFail(description + " (nested)");
        } catch (IllegalStateException expected) {
            // the nested step's savepoint is rolled back; the booking goes on
        }
        spool.enqueue(Map.of("visit", description), description.getBytes(StandardCharsets.UTF_8));
    }
}
