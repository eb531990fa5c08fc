package io.retryspool.boot.autoconfigure.docker.compose;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.docker.compose.core.RunningService;

import java.util.Locale;
import java.util.Map;

/**
 * The databases a Docker Compose service of the spool may run, told apart by the service's image, with the
 * environment variables their official (and Bitnami) images read for the user, password and database, as Boot's own
 * JDBC service connections read them.
 */
enum ComposeDatabase {

    POSTGRESQL("postgresql", 5432, new String[]{"POSTGRES_USER", "POSTGRESQL_USER", "POSTGRESQL_USERNAME"}, "postgres",
            new String[]{"POSTGRES_PASSWORD", "POSTGRESQL_PASSWORD"},
            new String[]{"POSTGRES_DB", "POSTGRESQL_DB", "POSTGRESQL_DATABASE"}),
    MARIADB("mariadb", 3306, new String[]{"MARIADB_USER", "MYSQL_USER"}, "root",
            new String[]{"MARIADB_PASSWORD", "MYSQL_PASSWORD", "MARIADB_ROOT_PASSWORD", "MYSQL_ROOT_PASSWORD"},
            new String[]{"MARIADB_DATABASE", "MYSQL_DATABASE"}),
    MYSQL("mysql", 3306, new String[]{"MYSQL_USER"}, "root",
            new String[]{"MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD"},
            new String[]{"MYSQL_DATABASE"});

    private static final String PARAMETERS_LABEL = "org.springframework.boot.jdbc.parameters";

    private final String protocol;
    private final int port;
    private final String[] userKeys;
    private final String defaultUser;
    private final String[] passwordKeys;
    private final String[] databaseKeys;

    ComposeDatabase(String protocol, int port, String[] userKeys, String defaultUser, String[] passwordKeys,
                    String[] databaseKeys) {
        this.protocol = protocol;
        this.port = port;
        this.userKeys = userKeys;
        this.defaultUser = defaultUser;
        this.passwordKeys = passwordKeys;
        this.databaseKeys = databaseKeys;
    }

    /** The database the service's image runs; fails naming the service when it is none RetrySpool supports. */
    static ComposeDatabase of(RunningService service) {
        String image = service.image().getName().toLowerCase(Locale.ROOT);
        String name = image.substring(image.lastIndexOf('/') + 1);
        for (ComposeDatabase database : values()) {
            if (name.startsWith(database == POSTGRESQL ? "postgres" : database.protocol)) {
                return database;
            }
        }
        throw new IllegalStateException("The Docker Compose service '" + service.name() + "' is the spool's database "
                + "(service connection 'retryspool') but runs the image '" + service.image() + "', which is not "
                + "PostgreSQL, MariaDB or MySQL");
    }

    String jdbcUrl(RunningService service) {
        @Nullable String database = first(service.env(), databaseKeys);
        if (database == null) {
            database = this == POSTGRESQL ? user(service) : null;
        }
        if (database == null) {
            throw new IllegalStateException("The Docker Compose service '" + service.name() + "' sets none of "
                    + String.join(", ", databaseKeys) + ", so RetrySpool does not know which database to use");
        }
        StringBuilder url = new StringBuilder("jdbc:").append(protocol).append("://").append(service.host())
                .append(':').append(service.ports().get(port)).append('/').append(database);
        String parameters = service.labels().get(PARAMETERS_LABEL);
        if (parameters != null && !parameters.isEmpty()) {
            url.append('?').append(parameters);
        }
        return url.toString();
    }

    String user(RunningService service) {
        String user = first(service.env(), userKeys);
        return user != null ? user : defaultUser;
    }

    @Nullable String password(RunningService service) {
        return first(service.env(), passwordKeys);
    }

    private static @Nullable String first(Map<String, @Nullable String> env, String[] keys) {
        for (String key : keys) {
            String value = env.get(key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
