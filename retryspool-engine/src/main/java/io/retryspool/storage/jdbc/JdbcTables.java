package io.retryspool.storage.jdbc;

import java.util.regex.Pattern;

/**
 * The names of RetrySpool's tables. Names are SQL identifiers checked against
 * {@code [a-z_][a-z0-9_]*} (at most 48 characters; on MariaDB and MySQL the metadata table at most 46), so
 * configuration can never inject SQL; index names and the Flyway history table are derived from them.
 *
 * @param metaTable the metadata table
 * @param dataTable the body table
 */
public record JdbcTables(String metaTable, String dataTable) {

    /** The default metadata table. */
    public static final String DEFAULT_META_TABLE = "retryspool_messages";
    /** The default body table. */
    public static final String DEFAULT_DATA_TABLE = "retryspool_data";
    /** The Flyway history table used with the default table names. */
    public static final String DEFAULT_HISTORY_TABLE = "retryspool_schema_history";

    /** The longest table name (MariaDB and MySQL take metadata tables of at most 46 characters). */
    static final int LONGEST_NAME = 48;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0," + (LONGEST_NAME - 1) + "}");

    /**
     * Creates table names, checking both.
     *
     * @throws IllegalArgumentException naming the table that is not a plain lower-case SQL identifier
     */
    public JdbcTables {
        check("metaTable", metaTable);
        check("dataTable", dataTable);
        if (metaTable.equals(dataTable)) {
            throw new IllegalArgumentException("dataTable: must differ from metaTable ('" + metaTable + "')");
        }
    }

    /**
     * Returns the default names, {@code retryspool_messages} and {@code retryspool_data}.
     *
     * @return the defaults
     */
    public static JdbcTables defaults() {
        return new JdbcTables(DEFAULT_META_TABLE, DEFAULT_DATA_TABLE);
    }

    /**
     * Returns the Flyway history table: {@code retryspool_schema_history} for the default names, else
     * {@code <metaTable>_schema_history}, so that two spools with different tables in one schema keep
     * separate histories.
     *
     * @return the history table's name
     */
    public String historyTable() {
        return DEFAULT_META_TABLE.equals(metaTable) ? DEFAULT_HISTORY_TABLE : metaTable + "_schema_history";
    }

    /**
     * Returns the table of per-minute activity: {@code <metaTable>_activity}.
     *
     * @return the activity table's name
     */
    public String activityTable() {
        return metaTable + "_activity";
    }

    /**
     * Returns the table of destinations (their health and rate buckets): {@code <metaTable>_destinations}.
     *
     * @return the destinations table's name
     */
    public String destinationTable() {
        return metaTable + "_destinations";
    }

    private static void check(String name, String value) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a valid table name; use lower-case "
                    + "letters, digits and underscores, starting with a letter or underscore, at most 48 characters");
        }
    }
}
