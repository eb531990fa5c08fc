package io.retryspool.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample on its default store: RetrySpool's embedded SQLite file, here in a temporary directory. */
class SqliteNotificationDeliveryTests extends AbstractNotificationDeliveryTests {

    @TempDir
    static Path directory;

    @DynamicPropertySource
    static void sqliteFile(DynamicPropertyRegistry registry) {
        registry.add("retryspool.sqlite.path", () -> directory.resolve("spool.db").toString());
    }

    @Test
    void spoolKeepsItsMessagesInTheConfiguredSqliteFile() {
        send("grace@example.com");

        assertThat(directory.resolve("spool.db")).isNotEmptyFile();
    }
}
