package io.retryspool.boot.autoconfigure.docker.compose;

import io.retryspool.boot.autoconfigure.RetrySpoolConnectionDetails;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.mock.env.MockEnvironment;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link RetrySpoolDockerComposeConnectionDetailsFactory} as Boot's Docker Compose support calls it, through the
 * factories registered in {@code spring.factories}, for services described as {@code docker compose} reports them
 * (no Docker engine is needed).
 */
class RetrySpoolDockerComposeConnectionDetailsFactoryTests {

    private final ConnectionDetailsFactories factories = new ConnectionDetailsFactories(getClass().getClassLoader());

    @Test
    void aPostgresServiceLabelledRetrySpoolIsTheSpoolsDatabaseAndNotTheApplications() {
        Map<Class<?>, ConnectionDetails> details = factories.getConnectionDetails(source(service("postgres:17",
                Map.of("POSTGRES_USER", "spool", "POSTGRES_PASSWORD", "secret", "POSTGRES_DB", "outbox"),
                Map.of("org.springframework.boot.service-connection", "retryspool"), 5432, 30001)), false);
        assertThat(details).containsOnlyKeys(RetrySpoolConnectionDetails.class);
        RetrySpoolConnectionDetails spool = (RetrySpoolConnectionDetails) details.get(RetrySpoolConnectionDetails.class);
        assertThat(spool.getJdbcUrl()).isEqualTo("jdbc:postgresql://localhost:30001/outbox");
        assertThat(spool.getUsername()).isEqualTo("spool");
        assertThat(spool.getPassword()).isEqualTo("secret");
    }

    @Test
    void anUnlabelledPostgresServiceStaysTheApplicationsDatabase() {
        Map<Class<?>, ConnectionDetails> details = factories.getConnectionDetails(source(service("postgres:17",
                Map.of("POSTGRES_PASSWORD", "secret"), Map.of(), 5432, 30001)), false);
        assertThat(details).containsOnlyKeys(JdbcConnectionDetails.class);
    }

    @Test
    void mariaDbAndMySqlServicesGetTheirUrlsUsersAndParameters() {
        RetrySpoolConnectionDetails mariaDb = spoolDetails(service("mariadb:11",
                Map.of("MARIADB_USER", "spool", "MARIADB_PASSWORD", "secret", "MARIADB_DATABASE", "outbox"),
                Map.of("org.springframework.boot.service-connection", "retryspool",
                        "org.springframework.boot.jdbc.parameters", "useBulkStmts=false"), 3306, 30002));
        assertThat(mariaDb.getJdbcUrl()).isEqualTo("jdbc:mariadb://localhost:30002/outbox?useBulkStmts=false");
        assertThat(mariaDb.getUsername()).isEqualTo("spool");
        RetrySpoolConnectionDetails mySql = spoolDetails(service("mysql:8.4",
                Map.of("MYSQL_ROOT_PASSWORD", "root-secret", "MYSQL_DATABASE", "outbox"),
                Map.of("org.springframework.boot.service-connection", "retryspool"), 3306, 30003));
        assertThat(mySql.getJdbcUrl()).isEqualTo("jdbc:mysql://localhost:30003/outbox");
        assertThat(mySql.getUsername()).isEqualTo("root");
        assertThat(mySql.getPassword()).isEqualTo("root-secret");
    }

    @Test
    void aServiceLabelledRetrySpoolThatIsNoSupportedDatabaseFailsNamingTheService() {
        RunningService redis = service("redis:7", Map.of(),
                Map.of("org.springframework.boot.service-connection", "retryspool"), 6379, 30004);
        assertThatIllegalStateException().isThrownBy(() -> spoolDetails(redis))
                .withMessageContaining("'spool-db'").withMessageContaining("redis")
                .withMessageContaining("not PostgreSQL, MariaDB or MySQL");
    }

    @Test
    void theDetailsOfALabelledServiceReachTheDatabase() throws Exception {
        TestPostgres.requireUrl();
        RetrySpoolConnectionDetails spool = spoolDetails(service("postgres:17",
                Map.of("POSTGRES_USER", "postgres", "POSTGRES_DB", "test", "POSTGRES_HOST_AUTH_METHOD", "trust"),
                Map.of("org.springframework.boot.service-connection", "retryspool"), 5432, 5432, "127.0.0.1"));
        try (Connection connection = DriverManager.getConnection(spool.getJdbcUrl(), spool.getUsername(),
                spool.getPassword()); ResultSet result = connection.createStatement().executeQuery("SELECT 1")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(1);
        }
    }

    private RetrySpoolConnectionDetails spoolDetails(RunningService service) {
        return (RetrySpoolConnectionDetails) factories.getConnectionDetails(source(service), true)
                .get(RetrySpoolConnectionDetails.class);
    }

    private static DockerComposeConnectionSource source(RunningService service) {
        DockerComposeConnectionSource source = mock(DockerComposeConnectionSource.class);
        given(source.getRunningService()).willReturn(service);
        given(source.getEnvironment()).willReturn(new MockEnvironment());
        return source;
    }

    private static RunningService service(String image, Map<String, String> env, Map<String, String> labels,
                                          int containerPort, int hostPort) {
        return service(image, env, labels, containerPort, hostPort, "localhost");
    }

    private static RunningService service(String image, Map<String, String> env, Map<String, String> labels,
                                          int containerPort, int hostPort, String host) {
        RunningService service = mock(RunningService.class);
        ConnectionPorts ports = mock(ConnectionPorts.class);
        given(ports.get(containerPort)).willReturn(hostPort);
        given(service.name()).willReturn("spool-db");
        given(service.image()).willReturn(ImageReference.of(image));
        given(service.host()).willReturn(host);
        given(service.ports()).willReturn(ports);
        given(service.env()).willReturn(new HashMap<>(env));
        given(service.labels()).willReturn(labels);
        return service;
    }
}
