package io.retryspool.sample;

import io.retryspool.handler.MessageContext;
import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetrySpoolListener;
import io.retryspool.handler.RetryableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers notifications to a simulated endpoint that fails now and then ({@code sample.delivery.*}). Two kinds
 * of recipient behave predictably, for demos and tests, whatever the rates: one starting with {@code flaky}
 * fails its first attempt and is delivered on the retry; one starting with {@code invalid} fails permanently
 * and bounces.
 */
@Component
public class NotificationDelivery {

    private static final Logger log = LoggerFactory.getLogger(NotificationDelivery.class);

    private final DeliveryProperties delivery;

    /**
     * Creates the delivery.
     *
     * @param delivery how unreliable the endpoint is
     */
    public NotificationDelivery(DeliveryProperties delivery) {
        this.delivery = delivery;
    }

    /**
     * Delivers one notification; the spool calls it for every message of type {@code notification}, on its
     * worker threads, and retries or bounces it by what it throws.
     *
     * @param notification the notification, read from the message
     * @param context the attempt
     */
    @RetrySpoolListener
    public void deliver(Notification notification, MessageContext context) {
        try {
            send(notification.recipient(), context.attempt());
        } catch (RuntimeException e) {
            log.info("Delivery of notification {} to {} failed on attempt {}: {}",
                    context.messageId(), notification.recipient(), context.attempt(), e.getMessage());
            throw e;
        }
        log.info("Delivered notification {} to {} on attempt {}: '{}' ({} characters)", context.messageId(),
                notification.recipient(), context.attempt(), notification.subject(), notification.text().length());
    }

    /** Stands in for the call to a real provider: returns when it accepted the notification. */
    private void send(String recipient, int attempt) {
        if (recipient.startsWith("invalid")) {
            throw new PermanentException("recipient " + recipient + " does not exist");
        }
        if (recipient.startsWith("flaky")) {
            if (attempt == 1) {
                throw new RetryableException("endpoint for " + recipient + " timed out");
            }
            return;
        }
        simulateUnreliableEndpoint(recipient, attempt);
    }

    /** Fails at the configured rates; the deterministic test recipients above are spared. */
    private void simulateUnreliableEndpoint(String recipient, int attempt) {
        double roll = ThreadLocalRandom.current().nextDouble();
        if (roll < delivery.permanentFailureRate()) {
            throw new PermanentException("endpoint rejected the notification for " + recipient + " (simulated)");
        }
        if (roll < delivery.permanentFailureRate() + delivery.failureRate()) {
            throw new RetryableException("endpoint unavailable (simulated), attempt " + attempt);
        }
    }
}
