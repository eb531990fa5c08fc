package io.retryspool.storage.shard;

import io.retryspool.StoreUnavailableException;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.StoreResult;
import io.retryspool.storage.StoreTransactions;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The store of a shard whose database did not answer when the spool was built: every use tries to build it (the
 * shard's pause keeps tries apart), and fails with a {@link StoreUnavailableException} until it is built.
 */
final class LazyStore implements SpoolStore {

    private final String shard;
    private final Supplier<SpoolStore> build;
    private volatile @Nullable SpoolStore built;
    private volatile @Nullable String lastFailure;

    LazyStore(String shard, Supplier<SpoolStore> build, @Nullable String firstFailure) {
        this.shard = shard;
        this.build = build;
        this.lastFailure = firstFailure;
    }

    boolean isBuilt() {
        return built != null;
    }

    @Nullable String lastFailure() {
        return lastFailure;
    }

    private SpoolStore store() {
        SpoolStore store = built;
        if (store != null) {
            return store;
        }
        synchronized (this) {
            if (built == null) {
                try {
                    built = build.get();
                } catch (RuntimeException e) {
                    lastFailure = e.getMessage();
                    throw new StoreUnavailableException("the store of shard '" + shard + "' cannot be built yet: "
                            + e.getMessage(), e);
                }
            }
            return built;
        }
    }

    @Override
    public MetaStore meta() {
        return store().meta();
    }

    @Override
    public DataStore bodies() {
        return store().bodies();
    }

    @Override
    public StoreTransactions transactions() {
        return store().transactions();
    }

    @Override
    public List<StoreResult> storeAllWithBodies(List<NewMessage> messages, List<byte[]> bodies) {
        return store().storeAllWithBodies(messages, bodies);
    }

    @Override
    public List<StoreResult> storeEachWithBodies(List<NewMessage> messages, List<byte[]> bodies) {
        return store().storeEachWithBodies(messages, bodies);
    }

    @Override
    public Set<String> completeAndDeleteBodies(List<ClaimOutcome> outcomes) {
        return store().completeAndDeleteBodies(outcomes);
    }
}
