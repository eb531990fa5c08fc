package io.retryspool.storage;

import io.retryspool.StoreUnavailableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a store that cannot be reached at all from a store that refused one write: the spool's outcome writer stops
 * retrying a group row by row, and a spool over several databases pauses the shard.
 */
public final class StoreFailures {

    private StoreFailures() {
    }

    /**
     * Whether the failure says the store is unreachable (no connection, connection lost, server shutting down)
     * rather than that one write was refused: then every other write fails as well, and there is no point in
     * trying the rows of a group one by one.
     *
     * @param failure a failure and its causes (a chain that loops back on itself is walked once)
     * @return whether it shows the store unreachable
     */
    public static boolean isUnavailable(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (showsUnreachable(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean showsUnreachable(Throwable t) {
        return t instanceof StoreUnavailableException || t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
                || t instanceof ConnectException || t instanceof CannotCreateTransactionException
                || t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
                || t instanceof SQLException sql && isConnectionState(sql.getSQLState());
    }

    /** SQL states of connection failures (class 08) and of a server shutting down or restarting (57P). */
    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}
