package io.retryspool.storage.jdbc;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A {@code jdbc:sqlite:} URL names the file that gets the spool's tuning; URLs without a shareable file are refused. */
class SqliteDatabaseUrlTests {

    @Test
    void aUrlNamesItsFile() {
        assertThat(SqliteDataSources.databaseFile("jdbc:sqlite:/var/lib/app/spool.db")).isEqualTo(Path.of("/var/lib/app/spool.db"));
        assertThat(SqliteDataSources.databaseFile("jdbc:sqlite:spool.db")).isEqualTo(Path.of("spool.db"));
        assertThat(SqliteDataSources.databaseFile("JDBC:SQLITE:file:data/spool.db")).isEqualTo(Path.of("data/spool.db"));
    }

    @Test
    void urlsWithoutAFileOrWithParametersAreRefusedSayingWhy() {
        assertThatIllegalArgumentException().isThrownBy(() -> SqliteDataSources.databaseFile("jdbc:postgresql://h/db"))
                .withMessageContaining("not an SQLite URL");
        assertThatIllegalArgumentException().isThrownBy(() -> SqliteDataSources.databaseFile("jdbc:sqlite::memory:"))
                .withMessageContaining("needs a database file");
        assertThatIllegalArgumentException().isThrownBy(() -> SqliteDataSources.databaseFile("jdbc:sqlite:"))
                .withMessageContaining("needs a database file");
        assertThatIllegalArgumentException().isThrownBy(() -> SqliteDataSources.databaseFile("jdbc:sqlite:spool.db?journal_mode=delete"))
                .withMessageContaining("without parameters");
    }
}
