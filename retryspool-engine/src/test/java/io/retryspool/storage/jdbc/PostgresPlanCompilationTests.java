package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.testing.TestPostgres;
import io.retryspool.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL compiles a plan to machine code (JIT) whenever its estimated cost passes {@code jit_above_cost}, and
 * does it again at every execution. The oldest due time's statement over the destinations is estimated well past it
 * with 1,000 destinations, though it reads a few index entries per destination; the store runs it without compiling.
 * What PostgreSQL ran is seen with {@code auto_explain}, which sends each executed plan to the client as a notice.
 */
class PostgresPlanCompilationTests {

    private static final String MESSAGES = "retryspool_messages";
    private static final String DESTINATIONS = "retryspool_messages_destinations";

    @Test
    void theOldestDueTimeOfManyDestinationsIsReadWithoutCompilingItsPlan() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("jit", 2)) {
            RetrySpoolSchema.migrate(schema.dataSource());
            JdbcTemplate setUp = new JdbcTemplate(schema.dataSource());
            setUp.execute("INSERT INTO " + DESTINATIONS + " (name) SELECT 'd' || g FROM generate_series(1, 1000) g");
            setUp.execute("ANALYZE " + DESTINATIONS);
            String statement = new PostgresDialect().oldestDestinedDueStatement(MESSAGES, DESTINATIONS);

            try (HikariDataSource pool = TestServices.pool(withPlansAsNotices(schema.jdbcUrl()), 1, "jit")) {
                NoticeRecorder notices = new NoticeRecorder(pool);
                // the control: run as it stands, PostgreSQL compiles the plan (so this test can see it)
                new JdbcTemplate(notices.dataSource()).query(statement, rs -> { }, Timestamp.from(Instant.now()));
                assertThat(notices.plansOf("MIN(f.due)")).singleElement().asString().contains("JIT:");
                notices.clear();

                JdbcMetaStore store = new JdbcMetaStore(notices.dataSource());
                assertThat(store.oldestDue(Instant.now())).isEmpty();

                assertThat(notices.plansOf("MIN(f.due)")).singleElement().asString().doesNotContain("JIT:");
            }
        }
    }

    @Test
    void insideACallersTransactionTheCallersSettingIsPutBackAfterTheReads() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("jit_caller", 2)) {
            RetrySpoolSchema.migrate(schema.dataSource());
            JdbcMetaStore store = new JdbcMetaStore(schema.dataSource());
            JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
            TransactionTemplate callers = new TransactionTemplate(new DataSourceTransactionManager(schema.dataSource()));

            List<String> seen = callers.execute(status -> {
                jdbc.execute("SET LOCAL jit = on");
                store.oldestDue(Instant.now());
                return List.of(jdbc.queryForObject("SHOW jit", String.class));
            });

            assertThat(seen).containsExactly("on");
        }
    }

    /** The URL with {@code auto_explain} loaded for each session, sending every executed plan to the client. */
    private static String withPlansAsNotices(String url) {
        String options = "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0"
                + " -c auto_explain.log_level=notice -c jit=on";
        return url + "&options=" + URLEncoder.encode(options, StandardCharsets.UTF_8);
    }

    /**
     * A DataSource whose statements keep the notices PostgreSQL sent while they ran (pgjdbc hands them to the
     * statement as warnings).
     */
    private static final class NoticeRecorder {

        private final DataSource target;
        private final List<String> notices = new CopyOnWriteArrayList<>();

        NoticeRecorder(DataSource target) {
            this.target = target;
        }

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                    (proxy, method, args) -> {
                        Object result = invoke(target, method, args);
                        return result instanceof Connection connection ? recording(connection) : result;
                    });
        }

        List<String> plansOf(String statementPart) {
            return notices.stream().filter(notice -> notice.contains("Query Text:") && notice.contains(statementPart))
                    .toList();
        }

        void clear() {
            notices.clear();
        }

        private Connection recording(Connection connection) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        Object result = invoke(connection, method, args);
                        if (method.getName().equals("commit")) {
                            // a plan's notice comes when its portal is dropped: in a transaction, at the commit
                            record(connection.getWarnings());
                            connection.clearWarnings();
                        }
                        if (result instanceof PreparedStatement statement) {
                            return recording(statement, PreparedStatement.class);
                        }
                        return result instanceof Statement statement ? recording(statement, Statement.class) : result;
                    });
        }

        private <S extends Statement> S recording(S statement, Class<S> type) {
            return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type},
                    (proxy, method, args) -> {
                        Object result = invoke(statement, method, args);
                        if (method.getName().startsWith("execute")) {
                            record(statement.getWarnings());
                            statement.clearWarnings();
                        }
                        return result;
                    }));
        }

        private void record(SQLWarning first) {
            for (SQLWarning warning = first; warning != null; warning = warning.getNextWarning()) {
                notices.add(warning.getMessage());
            }
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
