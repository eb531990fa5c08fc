package io.retryspool.storage.jdbc;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.datasource.ConnectionProxy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepared statements kept per physical connection, for drivers that compile every {@code prepareStatement}
 * anew (sqlite-jdbc has no statement cache, and HikariCP leaves caching to the driver). The batched writes of
 * group commit and of the outcome flusher reuse one compiled statement per connection and SQL text instead of
 * compiling it for every group.
 *
 * <p>Statements are prepared on the connection unwrapped from the pool's proxy, so the pool does not close them
 * when the connection goes back; they close with the physical connection, and the entries of closed connections
 * are dropped whenever a new connection is seen. A connection is used by one thread at a time (the pool lends it
 * to one borrower), so a cached statement is never used by two threads at once.
 */
final class CompiledStatements {

    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new IdentityHashMap<>();

    /**
     * Runs a batch of rows through the statement for {@code sql} on the template's connection (the transaction's,
     * when one is active).
     *
     * @return the update count of each row
     */
    int[] batchUpdate(JdbcTemplate jdbc, String sql, List<Object[]> rows) {
        return jdbc.execute((ConnectionCallback<int[]>) connection -> {
            PreparedStatement statement = statement(physical(connection), sql);
            try {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        StatementCreatorUtils.setParameterValue(statement, i + 1, SqlTypeValue.TYPE_UNKNOWN, row[i]);
                    }
                    statement.addBatch();
                }
                return statement.executeBatch();
            } finally {
                statement.clearBatch();
                statement.clearParameters();
            }
        });
    }

    /**
     * The driver's connection behind JdbcTemplate's close-suppressing proxy and the pool's proxy (a pool hands out
     * a new proxy for every borrow, so only the driver's connection identifies the compiled statements).
     */
    private static Connection physical(Connection connection) throws SQLException {
        Connection target = connection instanceof ConnectionProxy proxy ? proxy.getTargetConnection() : connection;
        return target.unwrap(Connection.class);
    }

    private synchronized PreparedStatement statement(Connection connection, String sql) throws SQLException {
        Map<String, PreparedStatement> statements = byConnection.get(connection);
        if (statements == null) {
            dropClosedConnections();
            statements = new HashMap<>();
            byConnection.put(connection, statements);
        }
        PreparedStatement statement = statements.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private void dropClosedConnections() throws SQLException {
        var entries = byConnection.entrySet().iterator();
        while (entries.hasNext()) {
            if (entries.next().getKey().isClosed()) {
                entries.remove();
            }
        }
    }
}
