package io.retryspool.sample;

import io.retryspool.EnqueueRequest;
import io.retryspool.MessageNotFoundException;
import io.retryspool.RetrySpool;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Accepts notifications into the spool and reports on them. Delivery happens later, in
 * {@link NotificationDelivery}, on the spool's worker threads.
 */
@RestController
@RequestMapping("/notifications")
public class NotificationController {

    /** The header repeating the recipient, for operators to find a recipient's notifications in the console. */
    public static final String RECIPIENT_HEADER = "recipient";

    private final RetrySpool spool;
    private final BouncedNotifications bounced;

    /**
     * Creates the controller.
     *
     * @param spool the spool to enqueue into
     * @param bounced the record of bounced notifications
     */
    public NotificationController(RetrySpool spool, BouncedNotifications bounced) {
        this.spool = spool;
        this.bounced = bounced;
    }

    /**
     * Enqueues a notification.
     *
     * @param request the notification
     * @return 202 with the id, or 400 when the recipient is missing
     */
    @PostMapping
    public ResponseEntity<?> send(@RequestBody NotificationRequest request) {
        if (request.recipient() == null || request.recipient().isBlank()) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "recipient must not be blank")).build();
        }
        String recipient = request.recipient().trim();
        Notification notification = new Notification(recipient,
                request.subject() != null ? request.subject() : "", request.body() != null ? request.body() : "");
        String id = spool.enqueue(EnqueueRequest.builder()
                .payload(notification)
                .header(RECIPIENT_HEADER, recipient)
                .notBefore(request.sendAt())
                .build());
        return ResponseEntity.accepted().body(new NotificationAccepted(id));
    }

    /**
     * Reports where a notification is. Delivered notifications are kept as ARCHIVED when
     * {@code retryspool.archive.success} is on, and are gone (404) otherwise.
     *
     * @param id the id {@link #send} answered
     * @return 200 with the status, or 404 when there is no such notification (any more)
     */
    @GetMapping("/{id}")
    public ResponseEntity<NotificationStatus> status(@PathVariable String id) {
        try {
            return ResponseEntity.ok(NotificationStatus.of(spool.getMessage(id).metadata()));
        } catch (MessageNotFoundException e) {
            return ResponseEntity.notFound().build();
        }
    }

    /**
     * Lists the notifications that bounced since the application started.
     *
     * @return the bounced notifications, oldest first
     */
    @GetMapping("/bounced")
    public List<BouncedNotification> bounced() {
        return bounced.list();
    }
}
