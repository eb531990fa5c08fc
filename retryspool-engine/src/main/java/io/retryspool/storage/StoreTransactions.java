package io.retryspool.storage;

import java.util.function.Supplier;

/**
 * Groups writes to the meta and data stores into one transaction where they share a database, so that an
 * enqueue stores body and metadata together or not at all, and a delete removes both. Stores that cannot
 * share a transaction use {@link #NONE}; the spool then writes bodies first and an orphan sweeper removes
 * bodies whose metadata never arrived.
 */
public interface StoreTransactions {

    /** No shared transaction: the work runs as it is and after-commit actions run at once. */
    StoreTransactions NONE = new StoreTransactions() {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
            return work.get();
        }

        @Override
        public void afterCommit(Runnable action) {
            action.run();
        }
    };

    /**
     * Runs work in one transaction, joining the caller's transaction if one is active on the same resource.
     *
     * @param work the work
     * @param <T> its result type
     * @return the work's result
     */
    <T> T inTransaction(Supplier<T> work);

    /**
     * Tells whether the calling thread is inside a transaction that an enqueue would join; the spool then
     * writes in the caller's thread instead of grouping the enqueue with others.
     *
     * @return true inside a caller's transaction; by default never
     */
    default boolean callerTransactionActive() {
        return false;
    }

    /**
     * Runs an action once the current transaction has committed (at once when there is none); used to wake
     * workers only when the enqueued message is visible to them.
     *
     * @param action the action
     */
    void afterCommit(Runnable action);
}
