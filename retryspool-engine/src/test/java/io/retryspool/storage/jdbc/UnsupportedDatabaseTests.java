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

/** Databases other than PostgreSQL 12+ and SQLite 3.35+ are refused at once, with a message that says why. */
class UnsupportedDatabaseTests {

    @Test
    void otherProductsAreRefusedNamingTheProductAndWhatIsSupported() {
        DataSource mysql = database("MySQL", "8.0.36", 8, 0);

        assertThatThrownBy(() -> new JdbcMetaStore(mysql))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("MySQL 8.0.36")
                .hasMessageContaining("PostgreSQL 12 or newer and SQLite 3.35 or newer");
    }

    @Test
    void tooOldVersionsAreRefused() {
        assertThatThrownBy(() -> new JdbcDataStore(database("PostgreSQL", "11.9", 11, 9)))
                .isInstanceOf(StorageException.class).hasMessageContaining("PostgreSQL 12.0 or newer");
        assertThatThrownBy(() -> RetrySpoolSchema.migrate(database("SQLite", "3.31.1", 3, 31)))
                .isInstanceOf(StorageException.class).hasMessageContaining("SQLite 3.35 or newer");
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
