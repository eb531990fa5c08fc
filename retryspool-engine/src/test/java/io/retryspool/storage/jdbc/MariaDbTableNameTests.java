package io.retryspool.storage.jdbc;

import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Table names on MariaDB, whose identifiers have at most 64 characters: a metadata table name too long for the names
 * derived from it is refused before any DDL runs (a migration that failed half-way would stay half-applied, as
 * MariaDB commits each DDL statement at once), and the longest accepted one migrates.
 */
class MariaDbTableNameTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("table_names", 2);

    @Test
    void aMetadataTableNameTooLongForItsIndexesIsRefusedBeforeAnythingIsCreated() {
        String tooLong = "m".repeat(47);
        assertThatThrownBy(() -> RetrySpoolSchema.migrate(database.dataSource(), new JdbcTables(tooLong, "long_data")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 46");
        assertThat(tablesNamed(tooLong + "%")).isZero();
        assertThat(tablesNamed("long_data")).isZero();

        String longest = "n".repeat(46);
        assertThat(RetrySpoolSchema.migrate(database.dataSource(), new JdbcTables(longest, "longest_data"))).isPositive();
        assertThat(tablesNamed(longest)).isOne();
    }

    private static long tablesNamed(String pattern) {
        Long count = new JdbcTemplate(database.dataSource()).queryForObject("SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE table_schema = DATABASE() AND table_name LIKE ?", Long.class, pattern);
        return count == null ? 0 : count;
    }
}
