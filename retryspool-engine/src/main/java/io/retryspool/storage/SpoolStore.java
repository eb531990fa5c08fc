package io.retryspool.storage;

import java.util.List;
import java.util.Set;

/**
 * One complete store: the metadata and the bodies of a spool's messages, on one database (or a metadata store and
 * a body store side by side), written together by the store itself. The spool talks to nothing else: it reads and
 * changes metadata through {@link #meta()}, streams bodies through {@link #bodies()}, and uses the two operations
 * that write metadata and bodies together, which the store performs as one step where its parts share a database.
 *
 * <p>Implementations: {@code io.retryspool.storage.jdbc.JdbcStore} (PostgreSQL or SQLite; metadata and bodies in one
 * database, or the bodies in another body store), and {@link #of(MetaStore, DataStore)} for any metadata store with
 * any body store (in memory, on the file system). A spool over several databases is several stores
 * ({@code RetrySpoolBuilder.shard}).
 */
public interface SpoolStore {

    /**
     * Pairs a metadata store and a body store that share no transaction: bodies are written first, and bodies whose
     * metadata never arrived are removed by the spool's orphan sweeper.
     *
     * @param meta the metadata store
     * @param bodies the body store
     * @return the store
     */
    static SpoolStore of(MetaStore meta, DataStore bodies) {
        return new StorePair(meta, bodies, StoreTransactions.NONE);
    }

    /**
     * Pairs a metadata store and a body store whose writes share the given transactions.
     *
     * @param meta the metadata store
     * @param bodies the body store
     * @param transactions the transactions both stores join
     * @return the store
     */
    static SpoolStore of(MetaStore meta, DataStore bodies, StoreTransactions transactions) {
        return new StorePair(meta, bodies, transactions);
    }

    /**
     * The messages' metadata.
     *
     * @return the metadata store
     */
    MetaStore meta();

    /**
     * The messages' bodies, as stored (codecs are applied by the spool on top of it).
     *
     * @return the body store
     */
    DataStore bodies();

    /**
     * The transactions that metadata and body writes share ({@link StoreTransactions#NONE} when they share none).
     *
     * @return the transactions
     */
    StoreTransactions transactions();

    /**
     * The ids the new messages of one enqueue are stored under, before anything of them is written. A store over
     * several databases names in each id the database that will hold the message: messages with a destination by the
     * destination (so that the destination's limits hold on one database), others with an idempotency key by the key
     * (so that the key is unique across the databases), the rest of one enqueue all together (so that it stays
     * atomic). By default the unique ids themselves.
     *
     * @param uniqueIds fresh unique ids, one per message
     * @param placementKeys what places each message, in the same order
     * @return the ids, in the same order
     */
    default List<String> placeNewMessages(List<String> uniqueIds, List<PlacementKey> placementKeys) {
        return uniqueIds;
    }

    /**
     * Whether new messages whose {@link #storeAllWithBodies} failed this way may be stored again at once under new ids
     * from {@link #placeNewMessages}, which would now place them on another database: a store over several databases
     * answers true when nothing was written ({@link io.retryspool.StoreUnavailableException}: the chosen database
     * could not be connected to), no message has a destination or an idempotency key (which place their message,
     * reachable or not), and another database that answered when last used takes new messages. By default false.
     *
     * @param messages the messages that were not stored
     * @param failure how storing them failed
     * @return whether placing them again would put them elsewhere
     */
    default boolean placesElsewhereAfter(List<NewMessage> messages, RuntimeException failure) {
        return false;
    }

    /**
     * Stores messages together with their bodies, given whole in memory (the way enqueues of small bodies travel):
     * atomically, all or none, on one database. A store over several databases writes each database's part on its
     * own: when one fails after another's part was written, it throws a
     * {@link PartlyWrittenException} naming the messages that were not stored. A message whose idempotency key is
     * already held is not inserted and its body is not kept.
     *
     * @param messages the messages
     * @param bodies their bodies as they are to be stored, in the same order
     * @return one result per message, in the same order
     */
    List<StoreResult> storeAllWithBodies(List<NewMessage> messages, List<byte[]> bodies);

    /**
     * Stores the messages of separate enqueues written together (group commit), each of which may be stored without
     * the others: as {@link #storeAllWithBodies}, except that a store over several databases writes every database's
     * part even after another's failed, so that one database's failure fails only the messages placed on it. When
     * some were stored, a {@link PartlyWrittenException} gives their results and names the others; when none was,
     * the first failure is thrown as it is. By default {@link #storeAllWithBodies}: on one database the messages
     * share one transaction.
     *
     * @param messages the messages
     * @param bodies their bodies as they are to be stored, in the same order
     * @return one result per message, in the same order
     */
    default List<StoreResult> storeEachWithBodies(List<NewMessage> messages, List<byte[]> bodies) {
        return storeAllWithBodies(messages, bodies);
    }

    /**
     * Writes outcomes as {@link MetaStore#complete(List)} does and deletes the bodies of the messages it deleted,
     * atomically where metadata and bodies share a database.
     *
     * @param outcomes the outcomes
     * @return the ids whose claim was no longer held, for which nothing was written
     */
    Set<String> completeAndDeleteBodies(List<ClaimOutcome> outcomes);
}
