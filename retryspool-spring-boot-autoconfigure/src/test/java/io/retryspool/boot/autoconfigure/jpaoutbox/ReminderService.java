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

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public String enqueueInOwnTransaction(String description) {
        return spool.enqueue(Map.of("visit", description), description.getBytes(StandardCharsets.UTF_8));
    }
}
