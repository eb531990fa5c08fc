package io.retryspool.storage.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompiledStatementsTests {

    private static final String INSERT = "INSERT INTO items (id, name) VALUES (?, ?)";

    @TempDir
    Path directory;

    private final List<Connection> opened = new ArrayList<>();
    private final CompiledStatements compiled = new CompiledStatements();

    @BeforeEach
    void createTable() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url())) {
            connection.createStatement().execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
        }
    }

    @AfterEach
    void closeConnections() throws SQLException {
        for (Connection connection : opened) {
            connection.close();
        }
    }

    @Test
    void aConnectionCompilesEachStatementOnceAndReusesIt() throws SQLException {
        AtomicInteger prepares = new AtomicInteger();
        JdbcTemplate jdbc = templateOn(countingConnection(prepares));

        assertThat(compiled.batchUpdate(jdbc, INSERT, List.of(row(1, "a"), row(2, "b")))).containsExactly(1, 1);
        assertThat(compiled.batchUpdate(jdbc, INSERT, List.<Object[]>of(row(3, null)))).containsExactly(1);
        assertThat(prepares).as("prepareStatement calls for one SQL text").hasValue(1);

        compiled.batchUpdate(jdbc, "UPDATE items SET name = ? WHERE id = ?", List.<Object[]>of(new Object[]{"c", 3}));

        assertThat(prepares).as("a second SQL text is compiled once more").hasValue(2);
        assertThat(jdbc.queryForList("SELECT id || ':' || coalesce(name, '-') FROM items ORDER BY id", String.class))
                .containsExactly("1:a", "2:b", "3:c");
    }

    @Test
    void eachConnectionHasItsOwnCompiledStatements() throws SQLException {
        AtomicInteger prepares = new AtomicInteger();
        JdbcTemplate first = templateOn(countingConnection(prepares));
        JdbcTemplate second = templateOn(countingConnection(prepares));

        compiled.batchUpdate(first, INSERT, List.<Object[]>of(row(1, "a")));
        compiled.batchUpdate(second, INSERT, List.<Object[]>of(row(2, "b")));
        compiled.batchUpdate(first, INSERT, List.<Object[]>of(row(3, "c")));

        assertThat(prepares).hasValue(2);
        assertThat(first.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(3);
    }

    @Test
    void aFailedBatchLeavesTheStatementUsableAndEmpty() throws SQLException {
        AtomicInteger prepares = new AtomicInteger();
        JdbcTemplate jdbc = templateOn(countingConnection(prepares));
        compiled.batchUpdate(jdbc, INSERT, List.<Object[]>of(row(1, "a")));

        assertThatThrownBy(() -> compiled.batchUpdate(jdbc, INSERT, List.of(row(2, "b"), row(1, "duplicate"))))
                .isInstanceOf(DataAccessException.class);
        jdbc.update("DELETE FROM items WHERE id = 2");
        compiled.batchUpdate(jdbc, INSERT, List.<Object[]>of(row(4, "d")));

        assertThat(jdbc.queryForList("SELECT name FROM items ORDER BY id", String.class)).containsExactly("a", "d");
        assertThat(prepares).hasValue(1);
    }

    @Test
    void aNewConnectionCompilesAgainAfterAnotherWasClosed() throws SQLException {
        AtomicInteger prepares = new AtomicInteger();
        Connection first = countingConnection(prepares);
        compiled.batchUpdate(templateOn(first), INSERT, List.<Object[]>of(row(1, "a")));
        first.close();

        JdbcTemplate second = templateOn(countingConnection(prepares));
        compiled.batchUpdate(second, INSERT, List.<Object[]>of(row(2, "b")));

        assertThat(prepares).hasValue(2);
        assertThat(second.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(2);
    }

    private static Object[] row(int id, String name) {
        return new Object[]{id, name};
    }

    /** JdbcTemplate on a DataSource that hands out close-suppressing proxies of one connection, as a pool would. */
    private static JdbcTemplate templateOn(Connection connection) {
        return new JdbcTemplate(new SingleConnectionDataSource(connection, true));
    }

    /** A driver connection that counts prepareStatement calls and is its own unwrapped connection. */
    private Connection countingConnection(AtomicInteger prepares) throws SQLException {
        Connection driver = DriverManager.getConnection(url());
        opened.add(driver);
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "prepareStatement" -> prepares.incrementAndGet();
                        case "unwrap" -> {
                            return proxy;
                        }
                        default -> {
                        }
                    }
                    try {
                        return method.invoke(driver, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private String url() {
        return "jdbc:sqlite:" + directory.resolve("items.db");
    }
}
