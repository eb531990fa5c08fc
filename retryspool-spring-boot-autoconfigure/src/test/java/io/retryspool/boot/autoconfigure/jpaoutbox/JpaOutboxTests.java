package io.retryspool.boot.autoconfigure.jpaoutbox;

import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.NestedTransactionNotSupportedException;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The transactional outbox in a real Spring Data JPA application on PostgreSQL: the spool shares the application's
 * DataSource, and visits are booked in {@code @Transactional} methods run by Boot's {@link JpaTransactionManager}.
 * An enqueue joins that transaction: a rollback leaves neither the visit nor the reminder, a commit keeps both and
 * the reminder is delivered, and a {@code REQUIRES_NEW} enqueue commits on its own.
 */
class JpaOutboxTests {

    private TestPostgres.Schema schema;
    private ConfigurableApplicationContext context;
    private BookingService bookings;
    private VisitRepository visits;
    private RetrySpool spool;

    @BeforeEach
    void startTheApplication() {
        schema = TestPostgres.newSchema("jpa_outbox", 2);
        ClinicApplication.DELIVERED.clear();
        context = new SpringApplicationBuilder(ClinicApplication.class)
                .properties("spring.datasource.url=" + schema.jdbcUrl(),
                        "spring.jpa.hibernate.ddl-auto=create-drop",
                        "spring.jpa.open-in-view=false",
                        "retryspool.worker.poll-interval=50ms",
                        "spring.main.banner-mode=off",
                        // this module's test classpath holds Flyway and Liquibase for other tests; this application has neither
                        "spring.liquibase.enabled=false", "spring.flyway.enabled=false")
                .run();
        bookings = context.getBean(BookingService.class);
        visits = context.getBean(VisitRepository.class);
        spool = context.getBean(RetrySpool.class);
    }

    @AfterEach
    void stopTheApplication() {
        if (context != null) {
            context.close();
        }
        schema.close();
    }

    @Test
    void theApplicationRunsItsTransactionsWithJpaTransactionManager() {
        assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JpaTransactionManager.class);
    }

    @Test
    void aRollbackAfterTheEnqueueLeavesNeitherTheVisitNorTheReminder() {
        assertThatThrownBy(() -> bookings.bookThenFail("checkup for Leo")).isInstanceOf(IllegalStateException.class);

        assertThat(visits.count()).isZero();
        assertThat(total(spool)).as("messages stored").isZero();
        assertThat(ClinicApplication.DELIVERED).isEmpty();
    }

    @Test
    void writeEnqueueWriteThenFailLeavesNothing() {
        assertThatThrownBy(() -> bookings.writeEnqueueWriteThenFail("surgery for Basil"))
                .isInstanceOf(IllegalStateException.class);

        assertThat(visits.count()).as("neither write is kept").isZero();
        assertThat(total(spool)).isZero();
    }

    @Test
    void aCommitKeepsTheVisitAndTheReminderWhichIsDelivered() {
        String id = bookings.book("vaccination for Rosy");

        assertThat(visits.findAll()).extracting(Visit::getDescription).containsExactly("vaccination for Rosy");
        await().atMost(Duration.ofSeconds(20)).until(() -> ClinicApplication.DELIVERED.contains("vaccination for Rosy"));
        assertThat(id).isNotBlank();
    }

    @Test
    void aReminderEnqueuedInARequiresNewTransactionStaysWhenTheBookingRollsBack() {
        assertThatThrownBy(() -> bookings.bookWithIndependentReminderThenFail("dental for Jewel"))
                .isInstanceOf(IllegalStateException.class);

        assertThat(visits.count()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> ClinicApplication.DELIVERED.contains("dental for Jewel"));
    }

    @Test
    void aNestedStepIsRefusedUnderJpaAsSpringRefusesItAndTheBookingLeavesNothing() {
        // Hibernate's JPA dialect has no savepoints: Spring refuses NESTED under JpaTransactionManager before the
        // nested step runs, even when the application allows nested transactions; the refusal rolls the booking back
        context.getBean(JpaTransactionManager.class).setNestedTransactionAllowed(true);

        assertThatThrownBy(() -> bookings.bookWithAFailedNestedStep("x-ray for Milo"))
                .isInstanceOf(NestedTransactionNotSupportedException.class);

        assertThat(visits.count()).isZero();
        assertThat(total(spool)).isZero();
    }

    private static long total(RetrySpool spool) {
        return spool.counts().values().stream().mapToLong(Long::longValue).sum()
                - spool.counts().get(QueueState.ARCHIVED);
    }
}
