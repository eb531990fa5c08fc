package io.retryspool.boot.autoconfigure.jpaoutbox;

import io.retryspool.handler.MessageHandler;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small PetClinic-like application for {@link JpaOutboxTests}: Spring Data JPA with Hibernate, visits booked in
 * {@code @Transactional} services (run by Boot's {@code JpaTransactionManager}) that enqueue reminders.
 */
@SpringBootApplication
public class ClinicApplication {

    /** The reminders the handler delivered, by the visit they belong to. */
    static final List<String> DELIVERED = new CopyOnWriteArrayList<>();

    @Bean
    MessageHandler reminderSender() {
        return (context, message, body) -> DELIVERED.add(message.metadata().headers().get("visit"));
    }
}
