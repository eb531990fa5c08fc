package io.retryspool.internal;

import io.retryspool.checks.Arguments;
import io.retryspool.checks.InputLimits;
import io.retryspool.ActivityMinute;
import io.retryspool.BacklogShape;
import io.retryspool.Count;
import io.retryspool.DestinationStatus;
import io.retryspool.EnqueueRequest;
import io.retryspool.EnqueueTransaction;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.MessageFilter;
import io.retryspool.MessageMetadata;
import io.retryspool.MessageNotFoundException;
import io.retryspool.Page;
import io.retryspool.PartlyEnqueuedException;
import io.retryspool.QueueCounts;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.RetrySpoolException;
import io.retryspool.SpoolClosedException;
import io.retryspool.SpoolListener;
import io.retryspool.StorageException;
import io.retryspool.handler.MessageHandler;
import io.retryspool.internal.observation.DeliveryObservations;
import io.retryspool.internal.observation.EnqueueObservations;
import io.retryspool.internal.processing.HandlerSelector;
import io.retryspool.internal.processing.LeaseReaper;
import io.retryspool.internal.processing.Listeners;
import io.retryspool.internal.processing.MessageProcessor;
import io.retryspool.internal.processing.OutcomeDecider;
import io.retryspool.internal.processing.OutcomeWriter;
import io.retryspool.internal.processing.RetryPolicies;
import io.retryspool.internal.processing.TypedListenerHandler;
import io.retryspool.internal.scheduler.ActivityLog;
import io.retryspool.internal.scheduler.DelayWarner;
import io.retryspool.internal.scheduler.InFlightClaims;
import io.retryspool.internal.scheduler.OrphanSweeper;
import io.retryspool.internal.scheduler.RetentionSweeper;
import io.retryspool.internal.scheduler.Scheduler;
import io.retryspool.storage.Claim;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.PartlyWrittenException;
import io.retryspool.storage.PlacementKey;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.StoreResult;
import io.retryspool.storage.StoreTransactions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The engine behind {@link RetrySpool}: enqueue paths, admin operations and the scheduler's lifecycle. */
public final class DefaultRetrySpool implements RetrySpool {

    private static final Logger log = LoggerFactory.getLogger(DefaultRetrySpool.class);
    /**
     * Group-commit writes of single enqueues in flight at once. A second write lets the database overlap two commits
     * when many callers wait; with few callers, one write makes the next group larger and is faster.
     */
    private static final int ENQUEUE_WRITERS = 2;
    /** How many single enqueues must wait before a second write starts beside the one in flight. */
    private static final int ENQUEUE_CROWD = 24;
    private static final Set<QueueState> PROCESSABLE_ON_DEMAND =
            EnumSet.of(QueueState.INCOMING, QueueState.DEFERRED, QueueState.HOLD);

    private final SpoolSettings settings;
    private final SpoolStore store;
    private final EncodedBodies encodedBodies;
    private final MetaStore metaStore;
    private final DataStore dataStore;
    private final StoreTransactions transactions;
    private final MessageProcessor processor;
    private final Listeners listeners;
    private final ActivityLog activityLog;
    private final EnqueueBatcher batcher;
    private final MessageIds messageIds = new MessageIds();
    private final InFlightClaims inFlight = new InFlightClaims();
    private final LeaseReaper leaseReaper;
    private final Scheduler scheduler;
    private final BulkActions bulk;
    private final FilteredListing filteredListing;
    private final TypedPayloads payloads;
    private final TypedListenerHandler typedDelivery;
    private final TypedListenerHandler typedBounces;
    private final EnqueueObservations enqueueObservations;
    private volatile boolean closed;

    /**
     * Creates a spool from checked settings; the workers do not start yet.
     *
     * @param settings the settings
     */
    public DefaultRetrySpool(SpoolSettings settings) {
        this.settings = settings;
        this.store = settings.store();
        this.encodedBodies = new EncodedBodies(settings.codecs());
        this.metaStore = store.meta();
        this.dataStore = encodedBodies.around(store.bodies());
        this.transactions = store.transactions();
        OutcomeDecider decider = new OutcomeDecider(
                new RetryPolicies(settings.retryPolicy(), settings.namedRetryPolicies()),
                settings.maxLifetime(), settings.archiveSuccess(), settings.archiveBounce());
        this.activityLog = new ActivityLog(metaStore, settings.instanceId(), settings.clock());
        List<SpoolListener> allListeners = new ArrayList<>(settings.listeners());
        allListeners.add(activityLog);
        this.listeners = new Listeners(allListeners);
        this.batcher = new EnqueueBatcher(requests -> storeEach(requests, true), settings.batchSize(), ENQUEUE_WRITERS,
                ENQUEUE_CROWD);
        OutcomeWriter writer = new OutcomeWriter(store, settings.batchSize(), settings.leaseTimeout(),
                settings.destinations(), settings.clock());
        this.payloads = new TypedPayloads(settings.jsonMapper());
        this.typedDelivery = new TypedListenerHandler(settings.typedListeners(), settings.jsonMapper(), false);
        this.typedBounces = new TypedListenerHandler(settings.typedListeners(), settings.jsonMapper(), true);
        HandlerSelector bounceHandlers = new HandlerSelector(withFirst(typedBounces, settings.bounceHandlers()));
        this.processor = new MessageProcessor(dataStore, new HandlerSelector(withFirst(typedDelivery, settings.handlers())),
                bounceHandlers, decider, writer, settings.clock(), listeners,
                new DeliveryObservations(settings.observationRegistry()));
        this.leaseReaper = new LeaseReaper(metaStore, decider, listeners, settings.destinations());
        this.scheduler = new Scheduler(new Scheduler.Config(settings.concurrency(), settings.batchSize(),
                settings.pollInterval(), settings.leaseTimeout(), settings.attemptTimeout(), settings.instanceId(),
                () -> !settings.bounceHandlers().isEmpty() || settings.typedListeners().hasBounceListeners(),
                settings.threadFactory(), settings.clock(), settings.destinations()),
                metaStore, processor, writer,
                inFlight, leaseReaper,
                new OrphanSweeper(metaStore, store.bodies(), settings.clock(), OrphanSweeper.DEFAULT_GRACE),
                new RetentionSweeper(metaStore, dataStore, transactions, settings.clock(), settings.archiveRetention()),
                new DelayWarner(metaStore, settings.delayWarning(), settings.delayWarningHandlers(), listeners,
                        settings.clock()), activityLog, listeners);
        this.bulk = new BulkActions(metaStore, dataStore, transactions, BulkActions.BATCH_SIZE);
        this.filteredListing = new FilteredListing(metaStore, settings.exactCountLimit());
        this.enqueueObservations = new EnqueueObservations(settings.observationRegistry(), this::storeOne, this::storeAll);
    }

    @Override
    public String enqueue(Map<String, String> headers, byte[] body) {
        return enqueue(EnqueueRequest.builder().headers(headers).body(body).build());
    }

    @Override
    public String enqueue(Map<String, String> headers, InputStream body) {
        return enqueue(EnqueueRequest.builder().headers(headers).body(body).build());
    }

    @Override
    public String enqueue(EnqueueRequest request) {
        Arguments.requireNonNull("request", request);
        ensureOpen();
        return enqueueObservations.enqueue(payloads.toBody(request));
    }

    private String storeOne(EnqueueRequest request) {
        if (request.bodyBytes() != null && !transactions.callerTransactionActive()) {
            return batcher.enqueue(request);
        }
        return storeAll(List.of(request)).get(0);
    }

    @Override
    public List<String> enqueueAll(List<EnqueueRequest> requests) {
        ensureOpen();
        Arguments.requireNonNull("requests", requests);
        for (int i = 0; i < requests.size(); i++) {
            Arguments.requireNonNull("requests[" + i + "]", requests.get(i));
        }
        if (requests.isEmpty()) {
            return List.of();
        }
        return enqueueObservations.enqueueAll(payloads.toBodies(requests));
    }

    private List<String> storeAll(List<EnqueueRequest> requests) {
        if (requests.stream().allMatch(request -> request.bodyBytes() != null)) {
            return storeInMemoryBodies(requests);
        }
        return storeStreamedBodies(requests);
    }

    /**
     * Stores requests whose bodies are byte arrays, all or none as far as the store can: a store over several databases
     * that stored some of them fails with a {@link PartlyEnqueuedException} naming the others.
     */
    private List<String> storeInMemoryBodies(List<EnqueueRequest> requests) {
        List<EnqueueBatcher.Outcome> outcomes = storeEach(requests, false);
        List<String> ids = new ArrayList<>(outcomes.size());
        List<Integer> unstored = new ArrayList<>();
        RuntimeException failure = null;
        for (int i = 0; i < outcomes.size(); i++) {
            EnqueueBatcher.Outcome outcome = outcomes.get(i);
            if (outcome.failure() != null) {
                unstored.add(i);
                failure = failure == null ? outcome.failure() : failure;
            } else {
                ids.add(Objects.requireNonNull(outcome.id()));
            }
        }
        if (failure == null) {
            return ids;
        }
        throw unstored.size() == outcomes.size() ? failure : partlyEnqueued(outcomes.size(), unstored, failure);
    }

    /**
     * Stores requests whose bodies are byte arrays, bodies and metadata together as the store does it best, and tells
     * each request's outcome. When the store found the database it placed them on unreachable and would now place
     * them elsewhere (another shard), they are placed and stored again under new ids. A store over several databases
     * may store some and fail the others ({@link PartlyWrittenException}): each request then gets its own outcome.
     * Independent requests are written with {@link SpoolStore#storeEachWithBodies}, so that a database that fails
     * fails only the requests placed on it.
     *
     * @param independent whether the requests are single enqueues of different callers written together (group
     *                    commit), each of which may be stored without the others; the requests of one
     *                    {@code enqueueAll} are not, and are stored apart only where the store already did so
     */
    private List<EnqueueBatcher.Outcome> storeEach(List<EnqueueRequest> requests, boolean independent) {
        while (true) {
            Instant now = now();
            List<NewMessage> messages = new ArrayList<>(requests.size());
            List<byte[]> bodies = new ArrayList<>(requests.size());
            List<String> ids = newIds(requests);
            for (int i = 0; i < requests.size(); i++) {
                EnqueueRequest request = requests.get(i);
                String id = ids.get(i);
                byte[] body = Objects.requireNonNull(request.bodyBytes()); // all bodies are in memory here
                messages.add(new NewMessage(newMetadata(id, request, body.length, now), request.idempotencyKey()));
                bodies.add(encodedBodies.encode(id, body));
            }
            List<StoreResult> results;
            try {
                results = independent ? store.storeEachWithBodies(messages, bodies)
                        : store.storeAllWithBodies(messages, bodies);
            } catch (RuntimeException e) {
                discardBodiesAfterFailure(messages, e);
                if (store.placesElsewhereAfter(messages, e)) {
                    log.info("Placing {} new message(s) again: {}", messages.size(), e.getMessage());
                    continue;
                }
                return afterFailure(requests, messages, e, independent);
            }
            return committed(results).stream().map(EnqueueBatcher.Outcome::stored).toList();
        }
    }

    /**
     * The outcomes of requests whose store failed, all or (on a store over several databases) some of them: those
     * stored have their ids; of the others, those without a destination and key are placed and stored again when the
     * store would now put them elsewhere (another shard) and the requests are independent or some were stored already
     * (so that a failed {@code enqueueAll} that stored nothing stays a failure of the whole), and the rest fail with
     * the failure of their database.
     */
    private List<EnqueueBatcher.Outcome> afterFailure(List<EnqueueRequest> requests, List<NewMessage> messages,
                                                      RuntimeException e, boolean independent) {
        Map<String, StoreResult> stored = Map.of();
        RuntimeException failure = e;
        if (e instanceof PartlyWrittenException partly) {
            stored = partly.stored();
            failure = partly.getCause() instanceof RuntimeException cause ? cause : partly;
            committed(List.copyOf(stored.values()));
        }
        EnqueueBatcher.Outcome[] outcomes = new EnqueueBatcher.Outcome[requests.size()];
        List<Integer> movable = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            StoreResult result = stored.get(messages.get(i).metadata().id());
            if (result != null) {
                outcomes[i] = EnqueueBatcher.Outcome.stored(result.id());
            } else if (requests.get(i).destination() == null && requests.get(i).idempotencyKey() == null) {
                movable.add(i);
            } else {
                outcomes[i] = EnqueueBatcher.Outcome.failed(failure);
            }
        }
        boolean moves = !movable.isEmpty() && movable.size() < requests.size() && (independent || !stored.isEmpty())
                && store.placesElsewhereAfter(movable.stream().map(messages::get).toList(), failure);
        List<EnqueueBatcher.Outcome> moved = moves ? storeEach(movable.stream().map(requests::get).toList(), independent)
                : Collections.nCopies(movable.size(), EnqueueBatcher.Outcome.failed(failure));
        for (int k = 0; k < movable.size(); k++) {
            outcomes[movable.get(k)] = moved.get(k);
        }
        return List.of(outcomes);
    }

    /** Stores requests with streamed bodies: each body is streamed to the data store, then all metadata. */
    private List<String> storeStreamedBodies(List<EnqueueRequest> requests) {
        Instant now = now();
        List<NewMessage> messages = new ArrayList<>(requests.size());
        List<String> ids = newIds(requests);
        try {
            List<StoreResult> results = transactions.inTransaction(() -> {
                for (int i = 0; i < requests.size(); i++) {
                    EnqueueRequest request = requests.get(i);
                    String id = ids.get(i);
                    long size = storeBody(id, Objects.requireNonNull(request.openBody(), "payloads are written before"));
                    messages.add(new NewMessage(newMetadata(id, request, size, now), request.idempotencyKey()));
                }
                List<StoreResult> stored = metaStore.storeAll(messages);
                for (int i = 0; i < stored.size(); i++) {
                    if (!stored.get(i).created()) {
                        discardBody(messages.get(i).metadata().id());
                    }
                }
                return stored;
            });
            return committed(results);
        } catch (RuntimeException e) {
            discardBodiesAfterFailure(messages, e);
            throw asEnqueueFailure(messages, e);
        }
    }

    /**
     * How a failed enqueue of streamed bodies fails to its caller: when a store over several databases stored part of
     * the messages, as a {@link PartlyEnqueuedException} naming the requests not stored (in the order of
     * {@code messages}).
     */
    private static RuntimeException asEnqueueFailure(List<NewMessage> messages, RuntimeException failure) {
        if (!(failure instanceof PartlyWrittenException partly)) {
            return failure;
        }
        List<Integer> unstored = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (partly.unwritten().contains(messages.get(i).metadata().id())) {
                unstored.add(i);
            }
        }
        return partlyEnqueued(messages.size(), unstored, partly.getCause() != null ? partly.getCause() : partly);
    }

    private static PartlyEnqueuedException partlyEnqueued(int requests, List<Integer> unstored, Throwable cause) {
        return new PartlyEnqueuedException("stored " + (requests - unstored.size()) + " of " + requests
                + " messages; the requests at " + unstored + " were not stored: " + cause.getMessage(), unstored, cause);
    }

    /**
     * After a failed enqueue, removes the bodies it may have left, unless they were written in the same transaction
     * as the metadata: that rolled back, and deleting would only wait for the database once more per message (for the
     * lock whose wait made the enqueue fail, say). Nor are the bodies of messages that were stored before the failure
     * (a store over several databases writes each database's part on its own). Bodies left anyway are removed by the
     * orphan sweeper; one line tells how many were left (on a shard that cannot be reached, none can be deleted).
     */
    private void discardBodiesAfterFailure(List<NewMessage> messages, RuntimeException failure) {
        if (transactions != StoreTransactions.NONE) {
            return;
        }
        List<String> left = new ArrayList<>();
        RuntimeException deleteFailure = null;
        for (NewMessage message : messages) {
            String id = message.metadata().id();
            if (!(failure instanceof PartlyWrittenException partly) || partly.unwritten().contains(id)) {
                try {
                    dataStore.delete(id);
                } catch (RuntimeException e) {
                    left.add(id);
                    deleteFailure = deleteFailure == null ? e : deleteFailure;
                }
            }
        }
        if (deleteFailure != null) {
            log.warn("Could not delete the bodies of {} message(s) of a failed enqueue; the orphan sweeper removes them"
                    + " later: {}: {}", left.size(), left, deleteFailure.toString());
            log.debug("The first failure to delete a body", deleteFailure);
        }
    }

    /** After the store: tells listeners and wakes the workers once the transaction has committed. */
    private List<String> committed(List<StoreResult> results) {
        List<String> ids = new ArrayList<>(results.size());
        int created = 0;
        for (StoreResult result : results) {
            ids.add(result.id());
            if (result.created()) {
                created++;
            }
        }
        int newMessages = created;
        log.debug("Enqueued {} message(s): {}", ids.size(), ids);
        transactions.afterCommit(() -> {
            listeners.enqueued(newMessages);
            scheduler.wake();
        });
        return ids;
    }

    private long storeBody(String id, InputStream body) {
        CountingInputStream counting = new CountingInputStream(body);
        try {
            dataStore.store(id, counting);
        } catch (RuntimeException e) {
            if (transactions == StoreTransactions.NONE) {
                discardBody(id);
            }
            throw e instanceof RetrySpoolException ? e : new StorageException("could not store the body of message " + id, e);
        }
        return counting.count();
    }

    private MessageMetadata newMetadata(String id, EnqueueRequest request, long size, Instant now) {
        return newMetadata(id, request.headers(), request.priority(), request.retryPolicy(), request.maxAttempts(),
                request.notBefore(), request.destination(), size, now);
    }

    /** The metadata of a new message; unset options take the spool's defaults. */
    private MessageMetadata newMetadata(String id, Map<String, String> headers, @Nullable Integer priority,
                                        @Nullable String retryPolicy, @Nullable Integer maxAttempts,
                                        @Nullable Instant notBefore, @Nullable String destination, long size,
                                        Instant now) {
        Instant due = notBefore != null && notBefore.isAfter(now) ? notBefore.truncatedTo(ChronoUnit.MICROS) : now;
        String policy = retryPolicy != null ? retryPolicy : blankToNull(headers.get(RETRY_POLICY_HEADER));
        return MessageMetadata.builder()
                .id(id).state(QueueState.INCOMING).attempts(0)
                .maxAttempts(maxAttempts != null ? maxAttempts : settings.maxAttempts())
                .nextRetry(due).created(now).updated(now).size(size)
                .priority(priority != null ? priority : settings.defaultPriority())
                .headers(headers).retryPolicyName(policy).destination(destination)
                .build();
    }

    @Override
    public EnqueueTransaction beginEnqueue() {
        ensureOpen();
        String id = store.placeNewMessages(List.of(messageIds.next()), List.of(PlacementKey.NONE)).get(0);
        return new DefaultEnqueueTransaction(id, dataStore.openWriter(id), new DefaultEnqueueTransaction.Committer() {
            @Override
            public String commit(String messageId, Map<String, String> headers, long size) {
                ensureOpen();
                return enqueueObservations.observe(headers, null, propagated -> storeMetadata(messageId, propagated, size));
            }

            private String storeMetadata(String messageId, Map<String, String> headers, long size) {
                Instant now = now();
                MessageMetadata metadata = newMetadata(messageId, headers, null, null, null, null, null, size, now);
                StoreResult result = metaStore.store(new NewMessage(metadata, null));
                transactions.afterCommit(() -> {
                    listeners.enqueued(1);
                    scheduler.wake();
                });
                return result.id();
            }

            @Override
            public void discard(String messageId) {
                discardBody(messageId);
            }
        });
    }

    @Override
    public Message getMessage(String id) {
        ensureOpen();
        return Message.of(existing(id));
    }

    @Override
    public Optional<Message> findMessage(String id) {
        ensureOpen();
        Arguments.requireId("id", id);
        return metaStore.find(id).map(Message::of);
    }

    @Override
    public MessageBody openBody(String id) {
        ensureOpen();
        MessageMetadata metadata = existing(id);
        java.io.InputStream opened = dataStore.openReader(id);
        return new StoredMessageBody(id, () -> opened, metadata.size());
    }

    @Override
    public void updateMetadata(String id, UnaryOperator<MessageMetadata> change) {
        ensureOpen();
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        metaStore.update(id, current -> {
            MessageMetadata changed = change.apply(current);
            if (changed == null) {
                throw new IllegalArgumentException("change: returned null for message " + id);
            }
            if (!changed.id().equals(id)) {
                throw new IllegalArgumentException("change: the id of message " + id + " cannot change");
            }
            if (changed.state() != current.state()) {
                throw new IllegalArgumentException("change: the state of message " + id
                        + " changes only through moveToState, not updateMetadata");
            }
            if (changed.archivedAs() != current.archivedAs()) {
                throw new IllegalArgumentException("change: the archive reason of message " + id
                        + " is set only when the spool archives it, not by updateMetadata");
            }
            if (!Objects.equals(changed.destination(), current.destination())) {
                throw new IllegalArgumentException("change: the destination of message " + id
                        + " is fixed when it is enqueued and cannot change");
            }
            InputLimits.requireChange("change", current, changed);
            return changed.withUpdated(now());
        });
    }

    @Override
    public void moveToState(String id, QueueState from, QueueState to) {
        ensureOpen();
        Arguments.requireId("id", id);
        Arguments.requireNonNull("from", from);
        Arguments.requireNonNull("to", to);
        if (to == QueueState.ACTIVE) {
            throw new IllegalArgumentException("to: ACTIVE is entered only when a worker claims a message");
        }
        if (from == to) {
            throw new IllegalArgumentException("to: must differ from from (" + from + ")");
        }
        if (from == QueueState.ACTIVE && to != QueueState.HOLD) {
            throw new IllegalArgumentException("to: an ACTIVE message can only be put on HOLD; it leaves ACTIVE"
                    + " otherwise through its attempt's outcome, was " + to);
        }
        Instant now = now();
        boolean dueNow = to == QueueState.INCOMING || to == QueueState.BOUNCE;
        metaStore.moveToState(id, from, to, now, dueNow ? now : null);
        log.debug("Moved message {} from {} to {}", id, from, to);
        if (dueNow) {
            scheduler.wake();
        }
    }

    @Override
    public Page<Message> list(QueueState state, ListOptions options) {
        ensureOpen();
        Arguments.requireNonNull("state", state);
        return metaStore.list(state, Arguments.requireNonNull("options", options), settings.exactCountLimit());
    }

    @Override
    public long count(QueueState state) {
        Arguments.requireNonNull("state", state);
        return Objects.requireNonNull(counts().get(state));
    }

    @Override
    public Map<QueueState, Long> counts() {
        ensureOpen();
        return metaStore.countByState();
    }

    @Override
    public QueueCounts estimateCounts() {
        ensureOpen();
        return metaStore.countByState(settings.exactCountLimit());
    }

    @Override
    public Optional<Instant> oldestDue() {
        ensureOpen();
        return metaStore.oldestDue(now());
    }

    @Override
    public void process(String id, MessageHandler handler) {
        ensureOpen();
        Arguments.requireId("id", id);
        Arguments.requireNonNull("handler", handler);
        Instant now = now();
        Claim claim = metaStore.claimById(id, PROCESSABLE_ON_DEMAND, settings.instanceId(), now,
                settings.leaseTimeout());
        inFlight.add(claim);
        try {
            processor.process(claim, handler).join();
        } finally {
            inFlight.remove(claim);
        }
    }

    @Override
    public void delete(String id) {
        ensureOpen();
        Arguments.requireId("id", id);
        boolean existed = transactions.inTransaction(() -> {
            boolean deleted = metaStore.delete(id);
            if (deleted) {
                dataStore.delete(id);
            }
            return deleted;
        });
        if (!existed) {
            throw notFound(id);
        }
    }

    @Override
    public void setRetryPolicy(String id, @Nullable String policyName) {
        InputLimits.requireRetryPolicyName("policyName", policyName);
        updateMetadata(id, metadata -> metadata.withRetryPolicyName(policyName));
    }

    @Override
    public void recover() {
        ensureOpen();
        if (leaseReaper.reap(now()) > 0) {
            scheduler.wake();
        }
    }

    @Override
    public void start() {
        ensureOpen();
        typedDelivery.checkPayloadTypes();
        typedBounces.checkPayloadTypes();
        scheduler.start();
    }

    @Override
    public void stop(Duration grace) {
        Arguments.requireNotNegative("grace", grace);
        scheduler.stop(grace);
    }

    @Override
    public boolean isRunning() {
        return scheduler.isRunning();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        scheduler.stop(settings.shutdownGrace());
        closed = true;
    }

    @Override
    public List<ActivityMinute> activity(Duration window) {
        ensureOpen();
        Arguments.requireNonNull("window", window);
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(ActivityLog.RETENTION) > 0) {
            throw new IllegalArgumentException("window: must be between 1 minute and " + ActivityLog.RETENTION
                    + ", was " + window);
        }
        return activityLog.lastMinutes((int) window.toMinutes());
    }

    @Override
    public BacklogShape backlog() {
        ensureOpen();
        return metaStore.backlog(now(), settings.exactCountLimit());
    }

    private MessageMetadata existing(String id) {
        Arguments.requireId("id", id);
        return metaStore.find(id).orElseThrow(() -> notFound(id));
    }

    private static MessageNotFoundException notFound(String id) {
        return new MessageNotFoundException("message " + id + " does not exist");
    }

    private void discardBody(String id) {
        try {
            dataStore.delete(id);
        } catch (RuntimeException e) {
            log.warn("Could not delete the body of message {}; it is left as an orphan", id, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new SpoolClosedException("the spool of instance " + settings.instanceId() + " is closed");
        }
    }

    private Instant now() {
        return settings.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static List<MessageHandler> withFirst(MessageHandler first, List<MessageHandler> others) {
        List<MessageHandler> handlers = new ArrayList<>(others.size() + 1);
        handlers.add(first);
        handlers.addAll(others);
        return handlers;
    }

    /** The ids of the new messages of one enqueue, placed by the store. */
    private List<String> newIds(List<EnqueueRequest> requests) {
        List<String> unique = new ArrayList<>(requests.size());
        List<PlacementKey> keys = new ArrayList<>(requests.size());
        for (EnqueueRequest request : requests) {
            unique.add(messageIds.next());
            keys.add(new PlacementKey(request.destination(), request.idempotencyKey()));
        }
        return store.placeNewMessages(unique, keys);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public long count(MessageFilter filter) {
        ensureOpen();
        return bulk.count(filter, now(), Long.MAX_VALUE).value();
    }

    @Override
    public Count estimateCount(MessageFilter filter) {
        ensureOpen();
        return bulk.count(filter, now(), settings.exactCountLimit());
    }

    @Override
    public long moveAll(MessageFilter filter, QueueState to) {
        ensureOpen();
        long moved = bulk.moveAll(filter, to, now());
        if (moved > 0 && (to == QueueState.INCOMING || to == QueueState.BOUNCE)) {
            scheduler.wake();
        }
        return moved;
    }

    @Override
    public long deleteAll(MessageFilter filter) {
        ensureOpen();
        return bulk.deleteAll(filter, now());
    }

    @Override
    public Page<Message> list(MessageFilter filter, ListOptions options) {
        ensureOpen();
        return filteredListing.list(filter, options, now());
    }

    @Override
    public List<DestinationStatus> suspendedDestinations() {
        ensureOpen();
        return metaStore.suspendedDestinations();
    }

    @Override
    public boolean resumeDestination(String destination) {
        ensureOpen();
        Arguments.requireNonNull("destination", destination);
        InputLimits.requireDestination("destination", destination);
        boolean resumed = metaStore.resumeDestination(destination);
        if (resumed) {
            log.info("Resumed destination {} before its suspension ended", destination);
            scheduler.wake();
        }
        return resumed;
    }
}
