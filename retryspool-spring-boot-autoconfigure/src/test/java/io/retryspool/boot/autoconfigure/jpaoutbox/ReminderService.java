package io.retryspool.boot.autoconfigure.jpaoutbox;

import io.retryspool.RetrySpool;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Enqueues a reminder in a transaction of its own ({@code REQUIRES_NEW}). */
@Service
public class ReminderService {

    private final RetrySpool spool;

    ReminderService(RetrySpool spool) {
        this.spool = spool;
    }

    /** Enqueues a reminder in a nested transaction (a savepoint in the caller's), then fails. */
    @Transactional(propagation = Propagation.NESTED)
    public void enqueueNestedThenFail(String description) {
        spool.enqueue(Map.of("visit", description), description.getBytes(StandardCharsets.UTF_8));
        throw new IllegalStateException("the nested step failed after its enqueue");
    }

    /** Enqueues a reminder in a transaction of its own. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public String enqueueInOwnTransaction(String description) {
        return spool.enqueue(Map.of("visit", description), description.getBytes(StandardCharsets.UTF_8));
    }
}
