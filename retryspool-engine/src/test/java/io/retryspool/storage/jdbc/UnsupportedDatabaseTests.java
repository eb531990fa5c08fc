package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Databases other than PostgreSQL 12+, SQLite 3.35+, MariaDB 10.6+ and MySQL 8.0.1+ are refused at once, with a message
 * that says why.
 */
class UnsupportedDatabaseTests {

    @Test
    void otherProductsAreRefusedNamingTheProductAndWhatIsSupported() {
        DataSource derby = database("Apache Derby", "10.17.1.0", 10, 17);

        assertThatThrownBy(() -> new JdbcMetaStore(derby))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Apache Derby 10.17.1.0")
                .hasMessageContaining(JdbcDatabase.SUPPORTED);
    }

    @Test
    void tooOldVersionsAreRefused() {
        assertThatThrownBy(() -> new JdbcDataStore(database("PostgreSQL", "11.9", 11, 9)))
                .isInstanceOf(StorageException.class).hasMessageContaining("PostgreSQL 12.0 or newer");
        assertThatThrownBy(() -> RetrySpoolSchema.migrate(database("SQLite", "3.31.1", 3, 31)))
                .isInstanceOf(StorageException.class).hasMessageContaining("SQLite 3.35 or newer");
    }

    @Test
    void mariaDbBefore10Point6AndMySqlBefore8Point0Point1AreRefusedForLackingSkipLocked() {
        assertThatThrownBy(() -> new JdbcDataStore(database("MariaDB", "10.5.27-MariaDB", 10, 5)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("MariaDB 10.6.0 or newer (FOR UPDATE SKIP LOCKED); this database is 10.5.27");
        assertThat(JdbcDatabase.of(database("MySQL", "8.0.0-dmr", 8, 0)).unsupportedReason())
                .get(InstanceOfAssertFactories.STRING).contains("MySQL 8.0.1 or newer");
        assertThat(JdbcDatabase.of(database("MySQL", "5.5.5-10.5.9-MariaDB", 5, 5)).unsupportedReason())
                .as("a MariaDB through MySQL's driver").get(InstanceOfAssertFactories.STRING)
                .contains("MariaDB 10.6.0 or newer").contains("10.5.9");
    }

    @Test
    void mariaDb10Point6AndMySql8Point0Point1AreSupportedThroughEitherDriver() {
        assertThat(JdbcDatabase.of(database("MariaDB", "10.6.0-MariaDB", 10, 6)).isSupported()).isTrue();
        assertThat(JdbcDatabase.of(database("MariaDB", "11.4.2-MariaDB-ubu2404", 11, 4)).isSupported()).isTrue();
        assertThat(JdbcDatabase.of(database("MySQL", "5.5.5-10.11.6-MariaDB", 5, 5)).isSupported()).isTrue();
        assertThat(JdbcDatabase.of(database("MySQL", "8.0.1", 8, 0)).isSupported()).isTrue();
        assertThat(JdbcDatabase.of(database("MySQL", "8.4.3", 8, 4)).isSupported()).isTrue();
    }

    @Test
    void jdbcDatabaseTellsWhatTheDatabaseIsAndWhetherItIsSupported() {
        JdbcDatabase h2 = JdbcDatabase.of(database("H2", "2.3.232 (2024-08-11)", 2, 3));
        assertThat(h2).hasToString("H2 2.3.232 (2024-08-11)");
        assertThat(h2.isSupported()).isFalse();
        assertThat(h2.unsupportedReason()).get(InstanceOfAssertFactories.STRING)
                .contains("does not support H2").contains(JdbcDatabase.SUPPORTED);
        assertThat(JdbcDatabase.of(database("PostgreSQL", "15.19", 15, 19)).isSupported()).isTrue();
        assertThat(JdbcDatabase.of(database("SQLite", "3.53.2", 3, 53)).isSupported()).isTrue();
        assertThat(JdbcDatabase.of(database("SQLite", "3.34.0", 3, 34)).isSupported()).isFalse();
    }

    /** A DataSource whose connections only describe themselves. */
    private static DataSource database(String product, String version, int major, int minor) {
        DatabaseMetaData metaData = proxy(DatabaseMetaData.class, (method, args) -> switch (method) {
            case "getDatabaseProductName" -> product;
            case "getDatabaseProductVersion" -> version;
            case "getDatabaseMajorVersion" -> major;
            case "getDatabaseMinorVersion" -> minor;
            default -> throw new UnsupportedOperationException(method);
        });
        Connection connection = proxy(Connection.class, (method, args) -> switch (method) {
            case "getMetaData" -> metaData;
            case "close" -> null;
            default -> throw new UnsupportedOperationException(method);
        });
        return proxy(DataSource.class, (method, args) -> switch (method) {
            case "getConnection" -> connection;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (self, method, args) -> answer.answer(method.getName(), args)));
    }
}
