package io.retryspool.storage.shard;

import io.retryspool.StorageException;

import org.jspecify.annotations.Nullable;

/**
 * Parts of one operation tried shard by shard, for the work that the other shards must go on with when one fails
 * (claims, sweepers): each part's {@link StorageException} is kept instead of thrown, and the first is thrown only
 * when every part tried failed.
 */
final class ShardAttempts {

    private @Nullable StorageException first;
    private int tried;
    private int failed;

    /**
     * Runs one shard's part.
     *
     * @param part the work on one shard
     * @return null when it succeeded, or the storage failure it ended with
     */
    @Nullable StorageException attempt(Runnable part) {
        tried++;
        try {
            part.run();
            return null;
        } catch (StorageException e) {
            failed++;
            if (first == null) {
                first = e;
            }
            return e;
        }
    }

    /** Throws the first failure when at least one part was tried and every part tried failed. */
    void throwIfEveryAttemptFailed() {
        if (first != null && failed == tried) {
            throw first;
        }
    }
}
