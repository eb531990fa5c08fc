package io.retryspool.boot.autoconfigure.jpaoutbox;

import io.retryspool.boot.autoconfigure.RetrySpoolJdbcConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The same PetClinic-like JPA application on H2, PetClinic's default database, which RetrySpool does not support: it
 * starts, the spool keeps its embedded SQLite file with one WARN that says enqueues do not join the application's
 * transactions, and reminders are delivered — including, as the warning says, one whose booking rolled back.
 */
@ExtendWith(OutputCaptureExtension.class)
class JpaOnH2FallbackTests {

    @TempDir
    Path directory;

    private ConfigurableApplicationContext context;

    @AfterEach
    void stopTheApplication() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void theApplicationStartsOnH2AndTheSpoolUsesItsEmbeddedFile(CapturedOutput output) {
        ClinicApplication.DELIVERED.clear();
        context = new SpringApplicationBuilder(ClinicApplication.class)
                .properties("spring.datasource.url=jdbc:h2:mem:petclinic-" + System.nanoTime(),
                        "spring.jpa.hibernate.ddl-auto=create-drop",
                        "spring.jpa.open-in-view=false",
                        "retryspool.sqlite.path=" + directory.resolve("spool.db"),
                        "retryspool.worker.poll-interval=50ms",
                        "spring.main.banner-mode=off",
                        "spring.liquibase.enabled=false", "spring.flyway.enabled=false")
                .run();
        BookingService bookings = context.getBean(BookingService.class);
        VisitRepository visits = context.getBean(VisitRepository.class);

        assertThat(context.getBean(RetrySpoolJdbcConnection.class).origin())
                .isEqualTo(RetrySpoolJdbcConnection.Origin.EMBEDDED_SQLITE);
        assertThat(output.getOut()).containsOnlyOnce("RetrySpool does not support the application's database (H2 ")
                .contains("enqueues do not join the application's transactions");

        bookings.book("vaccination for Rosy");
        await().atMost(Duration.ofSeconds(20)).until(() -> ClinicApplication.DELIVERED.contains("vaccination for Rosy"));
        assertThat(visits.count()).isEqualTo(1);

        assertThatThrownBy(() -> bookings.bookThenFail("checkup for Leo")).isInstanceOf(IllegalStateException.class);
        assertThat(visits.count()).as("the visit rolled back").isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> ClinicApplication.DELIVERED.contains("checkup for Leo"));
    }
}
