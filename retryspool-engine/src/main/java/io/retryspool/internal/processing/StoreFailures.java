package io.retryspool.internal.processing;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** Tells a store that cannot be reached at all from a store that refused one write. */
final class StoreFailures {

    private StoreFailures() {
    }

    /**
     * Whether the failure says the store is unreachable (no connection, connection lost, server shutting down)
     * rather than that one write was refused: then every other write fails as well, and there is no point in
     * trying the rows of a group one by one.
     */
    static boolean isUnavailable(Throwable failure) {
        return Causes.anyMatch(failure, t -> t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
                || t instanceof ConnectException || t instanceof CannotCreateTransactionException
                || t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
                || t instanceof SQLException sql && isConnectionState(sql.getSQLState()));
    }

    /** SQL states of connection failures (class 08) and of a server shutting down or restarting (57P). */
    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}
