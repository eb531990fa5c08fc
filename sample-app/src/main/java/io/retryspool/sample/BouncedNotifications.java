package io.retryspool.sample;

import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.handler.BounceHandler;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
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
@BounceHandler
public class BouncedNotifications implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(BouncedNotifications.class);

    private final List<BouncedNotification> bounced = new CopyOnWriteArrayList<>();

    @Override
    public void handle(MessageContext context, Message message, MessageBody body) {
        String recipient = message.metadata().headers().getOrDefault(NotificationController.RECIPIENT_HEADER, "");
        String lastError = message.metadata().lastError();
        bounced.add(new BouncedNotification(message.id(), recipient, lastError));
        log.warn("Notification {} to {} bounced after {} attempt(s): {}", message.id(), recipient, context.attempt(), lastError);
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
