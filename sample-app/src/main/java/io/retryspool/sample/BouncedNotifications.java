package io.retryspool.sample;

import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.RetrySpoolListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Receives the notifications that went to BOUNCE (a permanent failure, or attempts used up) and keeps them in
 * memory, where a real service would tell the sender or open a ticket.
 */
@Component
public class BouncedNotifications {

    private static final Logger log = LoggerFactory.getLogger(BouncedNotifications.class);

    private final RetrySpool spool;
    private final List<BouncedNotification> bounced = new CopyOnWriteArrayList<>();

    /**
     * Creates the record.
     *
     * @param spool the spool, asked for why a notification bounced
     */
    public BouncedNotifications(RetrySpool spool) {
        this.spool = spool;
    }

    /**
     * Records a bounced notification; the spool calls it once per bounce, after the last delivery attempt.
     *
     * @param notification the notification that could not be delivered
     * @param context the bounce's context: the message id, and the number of delivery attempts it had
     */
    @RetrySpoolListener(bounce = true)
    public void bounced(Notification notification, MessageContext context) {
        String lastError = spool.findMessage(context.messageId()).map(message -> message.metadata().lastError())
                .orElse(null);
        bounced.add(new BouncedNotification(context.messageId(), notification.recipient(), lastError));
        log.warn("Notification {} to {} bounced after {} attempt(s): {}", context.messageId(),
                notification.recipient(), context.attempt(), lastError);
    }

    /**
     * Returns the bounced notifications, oldest first.
     *
     * @return a snapshot of the list
     */
    public List<BouncedNotification> list() {
        return List.copyOf(bounced);
    }
}
