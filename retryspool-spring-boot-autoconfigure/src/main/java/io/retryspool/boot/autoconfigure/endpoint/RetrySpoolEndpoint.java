package io.retryspool.boot.autoconfigure.endpoint;

import io.retryspool.ArchiveReason;
import io.retryspool.BacklogShape;
import io.retryspool.DestinationStatus;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.MessageMetadata;
import io.retryspool.MessageFilter;
import io.retryspool.MessageNotFoundException;
import io.retryspool.Page;
import io.retryspool.QueueCounts;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.StateConflictException;
import io.retryspool.checks.InputLimits;
import io.retryspool.boot.autoconfigure.operations.BulkAction;
import io.retryspool.boot.autoconfigure.operations.BulkFilter;
import io.retryspool.boot.autoconfigure.operations.DestinationState;
import io.retryspool.boot.autoconfigure.operations.OperatorAction;
import io.retryspool.boot.autoconfigure.operations.OperatorRequests;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Actuator endpoint {@code retryspool}: what is in the spool, and the operator's actions on single
 * messages. Over HTTP:
 * <ul>
 * <li>{@code GET /actuator/retryspool}: counts per state (all six), whether the workers run, the due time
 * of the message that has waited longest, and the suspended destinations ({@link SpoolDescriptor});</li>
 * <li>{@code GET /actuator/retryspool/{state}?limit=&after=}: a page of one state's messages, oldest first,
 * with metadata and headers but never bodies ({@link MessagePageDescriptor}); {@code after} is the previous
 * page's {@code nextCursor}. With any of {@code header=name:value}, {@code olderThan=} ({@code PT1H} or {@code 1h}),
 * {@code errorContains=} and {@code destination=}, only the messages matching all of them, as
 * {@link RetrySpool#list(io.retryspool.MessageFilter, ListOptions)} lists them: a page may then hold fewer than
 * {@code limit} messages while {@code hasMore} is true, and {@code total} is -1 (not counted) with a header, error or
 * destination criterion. An unknown state, a limit outside 1 to 10000, a malformed cursor or criterion answer 400;</li>
 * <li>{@code GET /actuator/retryspool/backlog}: the backlog's shape, as Postfix's {@code qshape} shows it: the messages
 * of every state but ARCHIVED counted by age since they were enqueued, in buckets of 5m, 10m, 20m, … 1280m and +Inf
 * ({@link BacklogDescriptor}). {@code backlog} is not a state's name; the selector takes it in any case;</li>
 * <li>{@code GET /actuator/retryspool/destinations}: the destinations suspended after failing
 * {@code retryspool.destinations.failure-threshold} times in a row, by name, each {@code PAUSED} (none of its messages
 * is attempted until {@code suspendedUntil}) or {@code PROBING} (one probe at a time until one succeeds)
 * ({@link DestinationsDescriptor}). Like {@code backlog}, {@code destinations} is read where a state's name is
 * expected;</li>
 * <li>{@code POST /actuator/retryspool/{id}} with {@code {"action": "hold" | "release" | "requeue" | "bounce"}}:
 * moves the message and answers its new metadata ({@link MessageDescriptor}). {@code hold} parks an INCOMING,
 * DEFERRED or ACTIVE message (an ACTIVE one keeps its running attempt, whose outcome is then discarded, and cannot
 * leave HOLD until that attempt has ended); {@code release} returns a HOLD message to INCOMING; {@code requeue}
 * makes a HOLD, DEFERRED, BOUNCE or ARCHIVED message INCOMING again; {@code bounce} sends an INCOMING, DEFERRED or
 * HOLD message to BOUNCE. Messages released or requeued are due at once, with a fresh budget of attempts;</li>
 * <li>{@code DELETE /actuator/retryspool/{id}}: deletes the message and its body (204);</li>
 * <li>{@code POST /actuator/retryspool} with {@code {"action": ..., "filter": {...}, "dryRun": bool}}: the same actions,
 * and {@code delete}, on every message matching a filter, never on ACTIVE ones; answers how many matched and how many
 * changed ({@link #bulk});</li>
 * <li>{@code POST /actuator/retryspool/destinations/{name}} with {@code {"action": "resume"}}: resumes a suspended
 * destination before its pause ends; its messages are attempted again at once, within its limits, and its failures in
 * a row count from zero ({@link #destinationAction}). The name is one path segment, percent-encoded. Answers the
 * destination as it now stands ({@link DestinationDescriptor}, {@code HEALTHY}); a destination that is not suspended
 * answers 409.</li>
 * </ul>
 * The endpoint is read-only unless {@code management.endpoint.retryspool.access=unrestricted}: the write and delete
 * operations (resuming a destination among them) are not exposed at all before that. Header values are shown as {@value #MASK} unless
 * {@code management.endpoint.retryspool.show-values} is {@code always}, or {@code when-authorized} and the caller has
 * one of {@code management.endpoint.retryspool.roles} (Boot's {@link Show} rules, as the {@code env} endpoint applies
 * them); ids, states, counts, times, sizes, {@code lastError}, {@code archivedAs} and {@code destination} are always
 * shown.
 * An unknown id answers 404; a message whose state does not allow the action (including one that changed state
 * meanwhile, or a held message whose attempt still runs) answers 409; an unknown action answers 400. Error bodies are
 * {@link ErrorDescriptor}s.
 */
@Endpoint(id = "retryspool", defaultAccess = Access.READ_ONLY)
public class RetrySpoolEndpoint {

    /** What a header value is shown as when the caller may not see it. */
    public static final String MASK = OperatorRequests.MASK;

    /** The selector of {@code GET /actuator/retryspool/backlog}, read where a state's name is expected. */
    public static final String BACKLOG = "backlog";

    /**
     * The selector of {@code GET /actuator/retryspool/destinations} (read where a state's name is expected) and the
     * first one of {@code POST /actuator/retryspool/destinations/{name}}.
     */
    public static final String DESTINATIONS = "destinations";

    /** The one action on a destination: resume it. */
    public static final String RESUME = "resume";

    /** HTTP status for an action that the message's state does not allow. */
    static final int STATUS_CONFLICT = 409;

    private static final Logger log = LoggerFactory.getLogger(RetrySpoolEndpoint.class);

    private final RetrySpool spool;
    private final Show showValues;
    private final Set<String> roles;
    private final Clock clock;

    /**
     * Creates the endpoint, judging whether a suspended destination is still paused by the system clock.
     *
     * @param spool the spool it shows and acts on
     * @param showValues when header values are shown
     * @param roles the roles that may see header values under {@link Show#WHEN_AUTHORIZED} (any authenticated user
     *              when empty)
     */
    public RetrySpoolEndpoint(RetrySpool spool, Show showValues, Collection<String> roles) {
        this(spool, showValues, roles, Clock.systemUTC());
    }

    /**
     * Creates the endpoint.
     *
     * @param spool the spool it shows and acts on
     * @param showValues when header values are shown
     * @param roles the roles that may see header values under {@link Show#WHEN_AUTHORIZED} (any authenticated user
     *              when empty)
     * @param clock the spool's clock, by which a suspended destination is paused until its {@code suspendedUntil}
     */
    public RetrySpoolEndpoint(RetrySpool spool, Show showValues, Collection<String> roles, Clock clock) {
        this.spool = Objects.requireNonNull(spool, "spool");
        this.showValues = Objects.requireNonNull(showValues, "showValues");
        this.roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Describes the spool as a whole.
     *
     * @return counts per state (estimates beyond the spool's exact-count limit, see
     *         {@link RetrySpool#estimateCounts()}), whether the workers run, the oldest due time, and the suspended
     *         destinations
     */
    @ReadOperation
    public SpoolDescriptor overview() {
        QueueCounts counts = spool.estimateCounts();
        return new SpoolDescriptor(OperatorRequests.countsByName(counts), OperatorRequests.estimatedStates(counts),
                spool.isRunning(), spool.oldestDue().orElse(null), suspendedDestinations(clock.instant()));
    }

    private List<DestinationDescriptor> suspendedDestinations(Instant now) {
        return spool.suspendedDestinations().stream().map(status -> DestinationDescriptor.of(status, now)).toList();
    }

    /**
     * Lists one state's messages, a page at a time, oldest first; with criteria, only those matching all of them
     * ({@link RetrySpool#list(io.retryspool.MessageFilter, ListOptions)}: each page examines at most 50 times
     * {@code limit} messages, so it may hold fewer than {@code limit} while more follow).
     *
     * @param securityContext the caller, who may or may not see header values
     * @param state the state's name, in any case; or {@value #BACKLOG} for the backlog's shape, or
     *              {@value #DESTINATIONS} for the suspended destinations
     * @param limit the page size, 1 to 10000; 100 when absent
     * @param after the previous page's {@code nextCursor}, or absent (or blank) for the first page
     * @param header {@code name:value}: the header (named up to the first colon) must have exactly the value after
     *               it; absent (or blank) for none
     * @param olderThan how long ago the messages were created at least, {@code PT1H} or {@code 1h}; absent (or blank)
     *                  for any age
     * @param errorContains text the last error must contain, ignoring the case of ASCII letters; absent (or blank)
     *                      for any
     * @param destination the destination the messages must have, exactly; absent (or blank) for any
     * @return a {@link MessagePageDescriptor}, a {@link BacklogDescriptor} for {@value #BACKLOG}, a
     *         {@link DestinationsDescriptor} for {@value #DESTINATIONS}, or a 400 {@link ErrorDescriptor}
     */
    @ReadOperation
    public WebEndpointResponse<OperationResponseBody> messages(SecurityContext securityContext, @Selector String state,
                                                               @Nullable Integer limit, @Nullable String after,
                                                               @Nullable String header, @Nullable String olderThan,
                                                               @Nullable String errorContains,
                                                               @Nullable String destination) {
        if (state != null && BACKLOG.equalsIgnoreCase(state.trim())) {
            return new WebEndpointResponse<>(BacklogDescriptor.of(spool.backlog()));
        }
        if (state != null && DESTINATIONS.equalsIgnoreCase(state.trim())) {
            Instant now = clock.instant();
            return new WebEndpointResponse<>(new DestinationsDescriptor(now, suspendedDestinations(now)));
        }
        QueueState queueState = OperatorRequests.state(state);
        if (queueState == null) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Unknown state '" + state + "'; expected one of "
                    + Arrays.toString(QueueState.values()) + ", " + BACKLOG + " or " + DESTINATIONS, null, null);
        }
        Page<Message> page;
        try {
            ListOptions.Builder options = ListOptions.builder()
                    .after(after == null || after.isBlank() ? null : after);
            if (limit != null) {
                options.limit(limit);
            }
            MessageFilter filter = filter(queueState, header, olderThan, errorContains, destination);
            page = filter == null ? spool.list(queueState, options.build()) : spool.list(filter, options.build());
        } catch (IllegalArgumentException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage(), null, null);
        }
        boolean showValues = showsValuesTo(securityContext);
        List<MessageDescriptor> items = page.items().stream()
                .map(message -> MessageDescriptor.of(message.metadata(), showValues))
                .toList();
        return new WebEndpointResponse<>(new MessagePageDescriptor(items, page.total(), page.totalEstimated(),
                page.hasMore(), page.nextCursor()));
    }

    /**
     * Applies an operator's action to one message, as a compare-and-set on the state it was read in.
     *
     * @param securityContext the caller, who may or may not see header values
     * @param id the message id
     * @param action {@code hold}, {@code release}, {@code requeue} or {@code bounce}
     * @return the message's new {@link MessageDescriptor}, or an {@link ErrorDescriptor} with status 400
     *         (unknown action), 404 (unknown id) or 409 (the state does not allow the action)
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> action(SecurityContext securityContext, @Selector String id,
                                                             String action) {
        OperatorAction parsed = OperatorAction.parse(action);
        if (parsed == null) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Unknown action '" + action
                    + "'; expected one of " + OperatorAction.labels(), id, null);
        }
        try {
            QueueState current = spool.getMessage(id).metadata().state();
            if (!parsed.from().contains(current)) {
                return conflict(id, current, parsed);
            }
            spool.moveToState(id, current, parsed.to());
            return new WebEndpointResponse<>(MessageDescriptor.of(spool.getMessage(id).metadata(),
                    showsValuesTo(securityContext)));
        } catch (MessageNotFoundException ex) {
            return notFound(id);
        } catch (StateConflictException ex) {
            return parsed.from().contains(ex.actualState())
                    ? error(STATUS_CONFLICT, ex.getMessage(), id, ex.actualState())
                    : conflict(id, ex.actualState(), parsed);
        }
    }

    /**
     * Deletes one message, metadata and body.
     *
     * @param id the message id
     * @return 204 without a body, or a 404 {@link ErrorDescriptor}
     */
    @DeleteOperation
    public WebEndpointResponse<OperationResponseBody> delete(@Selector String id) {
        try {
            spool.delete(id);
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
        } catch (MessageNotFoundException ex) {
            return notFound(id);
        }
    }

    /**
     * Applies an operator's action to a destination: {@code resume} ends its suspension before its pause would, so
     * that its messages are attempted again at once, within its limits, and its failures in a row count from zero
     * ({@link RetrySpool#resumeDestination}). Logged at INFO with the caller.
     *
     * @param securityContext the caller, named in the log
     * @param section {@value #DESTINATIONS}; any other value answers 404
     * @param name the destination's name
     * @param action {@value #RESUME}
     * @return the destination as it now stands ({@link DestinationDescriptor}), or an {@link ErrorDescriptor} with
     *         status 400 (unknown action, invalid name), 404 (another section than {@value #DESTINATIONS}) or 409
     *         (the destination is not suspended)
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> destinationAction(SecurityContext securityContext,
                                                                        @Selector String section, @Selector String name,
                                                                        String action) {
        if (!DESTINATIONS.equals(section)) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, "Nothing at '" + section + "/" + name + "'; actions on "
                    + "a destination go to " + DESTINATIONS + "/{name}", null, null);
        }
        if (action == null || !RESUME.equalsIgnoreCase(action.trim())) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Unknown action '" + action + "' on a destination; "
                    + "expected " + RESUME, null, null);
        }
        try {
            InputLimits.requireDestination("destination", name);
            if (!spool.resumeDestination(name)) {
                return error(STATUS_CONFLICT, "Destination '" + name + "' is not suspended; there is nothing to resume",
                        null, null);
            }
        } catch (IllegalArgumentException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage(), null, null);
        }
        Principal caller = securityContext.getPrincipal();
        log.info("Destination {} resumed by {}", name, caller != null ? caller.getName() : "anonymous");
        return new WebEndpointResponse<>(DestinationDescriptor.of(DestinationStatus.healthy(name), clock.instant()));
    }

    /** The listing's filter, or null when no criterion is given; {@code header} is {@code name:value}. */
    private static @Nullable MessageFilter filter(QueueState state, @Nullable String header, @Nullable String olderThan,
                                                  @Nullable String errorContains, @Nullable String destination) {
        Map.Entry<String, String> criterion = OperatorRequests.headerCriterion(header);
        return OperatorRequests.listingFilter(state, criterion == null ? null : criterion.getKey(),
                criterion == null ? null : criterion.getValue(), olderThan, errorContains, destination);
    }

    private boolean showsValuesTo(SecurityContext securityContext) {
        return showValues.isShown(securityContext, roles);
    }

    private static WebEndpointResponse<OperationResponseBody> notFound(String id) {
        return error(WebEndpointResponse.STATUS_NOT_FOUND, "No message with id '" + id + "'", id, null);
    }

    private static WebEndpointResponse<OperationResponseBody> conflict(String id, @Nullable QueueState actual,
                                                                       OperatorAction action) {
        String message = "Message '" + id + "' is in " + (actual != null ? actual : "another state") + "; "
                + action.label() + " needs it in " + action.from().stream().sorted().map(Enum::name)
                .collect(Collectors.joining(", "));
        return error(STATUS_CONFLICT, message, id, actual);
    }

    private static WebEndpointResponse<OperationResponseBody> error(int status, @Nullable String message, @Nullable String id,
                                                                    @Nullable QueueState state) {
        return new WebEndpointResponse<>(new ErrorDescriptor(status, message, id, state), status);
    }

    /**
     * The spool as a whole.
     *
     * @param counts messages per state name, all six states in their natural order
     * @param estimated the names of the states whose count is an estimate (more messages than the spool's
     *                  exact-count limit); empty when every count is exact
     * @param running whether the workers run
     * @param oldestDue the due time of the message that has waited longest for delivery, or null when none is due
     * @param suspendedDestinations the destinations suspended after failing too many times in a row, by name
     */
    public record SpoolDescriptor(Map<String, Long> counts, List<String> estimated, boolean running,
                                  @Nullable Instant oldestDue, List<DestinationDescriptor> suspendedDestinations)
            implements OperationResponseBody {
    }

    /**
     * The suspended destinations.
     *
     * @param takenAt when they were read; {@code state} is judged at this time
     * @param suspended the destinations suspended after failing too many times in a row, by name
     */
    public record DestinationsDescriptor(Instant takenAt, List<DestinationDescriptor> suspended)
            implements OperationResponseBody {
    }

    /**
     * How a destination has fared lately ({@link DestinationStatus}).
     *
     * @param name the destination's name
     * @param state {@code PAUSED} until {@code suspendedUntil}, {@code PROBING} after it until an attempt succeeds,
     *              {@code HEALTHY} when it is not suspended
     * @param failures failed delivery attempts in a row since its last success
     * @param suspensions suspensions in a row since its last success (each twice as long as the one before, up to a
     *                    maximum); 0 when it is not suspended
     * @param suspendedUntil when the current pause ends (or ended, while it is {@code PROBING}); null when it is not
     *                       suspended
     */
    public record DestinationDescriptor(String name, DestinationState state, int failures, int suspensions,
                                        @Nullable Instant suspendedUntil) implements OperationResponseBody {

        /**
         * Describes a destination's status.
         *
         * @param status the status
         * @param now the time its state is judged at
         * @return the descriptor
         */
        public static DestinationDescriptor of(DestinationStatus status, Instant now) {
            return new DestinationDescriptor(status.name(), DestinationState.of(status, now), status.failures(),
                    status.suspensions(), status.suspendedUntil());
        }
    }

    /**
     * One page of a state's messages.
     *
     * @param items the messages on this page
     * @param total how many messages the state holds, or, with criteria, how many match them; -1 (not counted) with
     *              a header or error criterion
     * @param totalEstimated whether {@code total} is an estimate (beyond the spool's exact-count limit)
     * @param hasMore whether messages follow this page
     * @param nextCursor the {@code after} value for the next page, or null when none follows
     */
    public record MessagePageDescriptor(List<MessageDescriptor> items, long total, boolean totalEstimated,
                                        boolean hasMore, @Nullable String nextCursor) implements OperationResponseBody {
    }

    /**
     * One message's metadata and headers (never its body).
     *
     * @param id the message id
     * @param state its state
     * @param attempts delivery attempts made
     * @param maxAttempts delivery attempts allowed
     * @param nextRetry when it is next due
     * @param created when it was enqueued
     * @param updated when its metadata last changed
     * @param lastError the last delivery failure, or null
     * @param size the body's size in bytes
     * @param priority 0 to 100, higher first
     * @param headers its headers, in insertion order; the values masked unless the caller may see them
     * @param retryPolicy the named retry policy it uses, or null for the default
     * @param archivedAs why the spool archived it, {@code DELIVERED} or {@code BOUNCED}; null unless it is ARCHIVED
     *                   (and for a message archived otherwise, see {@link MessageMetadata#archivedAs()})
     * @param destination where it goes, as it was enqueued with, or null for none
     */
    public record MessageDescriptor(String id, QueueState state, int attempts, int maxAttempts, Instant nextRetry,
                                    Instant created, Instant updated, @Nullable String lastError, long size,
                                    int priority, Map<String, String> headers, @Nullable String retryPolicy,
                                    @Nullable ArchiveReason archivedAs, @Nullable String destination)
            implements OperationResponseBody {

        /**
         * Describes a message's metadata.
         *
         * @param metadata the metadata
         * @param showValues whether header values are shown; if not, each is {@value RetrySpoolEndpoint#MASK}
         * @return the descriptor
         */
        public static MessageDescriptor of(MessageMetadata metadata, boolean showValues) {
            Map<String, String> headers = OperatorRequests.headers(metadata.headers(), showValues);
            return new MessageDescriptor(metadata.id(), metadata.state(), metadata.attempts(),
                    metadata.maxAttempts(), metadata.nextRetry(), metadata.created(), metadata.updated(),
                    metadata.lastError(), metadata.size(), metadata.priority(), headers,
                    metadata.retryPolicyName(), metadata.archivedAs(), metadata.destination());
        }
    }

    /**
     * Why a request failed.
     *
     * @param status the HTTP status
     * @param message what went wrong, naming the id, state or value involved
     * @param id the message id the request named, or null
     * @param state the state the message is in, for a conflict; otherwise null
     */
    public record ErrorDescriptor(int status, @Nullable String message, @Nullable String id, @Nullable QueueState state)
            implements OperationResponseBody {
    }

    /**
     * The backlog's shape ({@link BacklogShape}): for each state but ARCHIVED, how many messages fall into each age
     * bucket, age being the time since the message was enqueued.
     *
     * @param takenAt when the shape was taken; ages are measured at this time
     * @param buckets the buckets' labels, youngest first: {@code "5m"}, {@code "10m"}, … {@code "1280m"}, {@code "+Inf"};
     *                a bucket holds the ages above the bound before it, up to and including its own
     * @param states per state name (INCOMING, ACTIVE, DEFERRED, HOLD, BOUNCE, in this order) one count per bucket, in
     *               the order of {@code buckets}
     * @param totals per state name, the state's count over all buckets
     * @param estimated per state name with estimated counts (more messages than the spool's exact-count limit), the
     *                  labels of its estimated buckets; states counted exactly are absent
     */
    public record BacklogDescriptor(Instant takenAt, List<String> buckets, Map<String, List<Long>> states,
                                    Map<String, Long> totals, Map<String, List<String>> estimated)
            implements OperationResponseBody {

        /**
         * Describes a backlog shape.
         *
         * @param shape the shape
         * @return the descriptor
         */
        public static BacklogDescriptor of(BacklogShape shape) {
            Map<String, List<Long>> states = new LinkedHashMap<>();
            Map<String, Long> totals = new LinkedHashMap<>();
            Map<String, List<String>> estimated = new LinkedHashMap<>();
            for (QueueState state : BacklogShape.STATES) {
                states.put(state.name(), shape.counts(state));
                totals.put(state.name(), shape.total(state));
                List<String> buckets = new ArrayList<>();
                for (int bucket = 0; bucket < BacklogShape.BUCKETS; bucket++) {
                    if (shape.estimated(state, bucket)) {
                        buckets.add(BacklogShape.BUCKET_LABELS.get(bucket));
                    }
                }
                if (!buckets.isEmpty()) {
                    estimated.put(state.name(), buckets);
                }
            }
            return new BacklogDescriptor(shape.takenAt(), BacklogShape.BUCKET_LABELS, states, totals, estimated);
        }
    }

    /**
     * Applies an operator's action to every message matching a filter: {@code POST /actuator/retryspool} with
     * {@code {"action": ..., "state": ..., "header": "name:value", "olderThan": "1h", "errorContains": ...,
     * "destination": ..., "dryRun": true|false}}, the criteria as the listing's query parameters have them. (The
     * criteria are top-level fields, not a nested {@code filter} object, because Actuator's web layer reads a write
     * operation's body as a map of strings.) {@code hold}, {@code release}, {@code requeue} and
     * {@code bounce} move messages from the states the single-message action allows (never ACTIVE ones), each by a
     * compare-and-set ({@link RetrySpool#moveAll}); {@code delete} deletes messages in any state but ACTIVE, with their
     * bodies ({@link RetrySpool#deleteAll}). A filter with a state narrows the action to it. Every call is logged at
     * INFO with the caller, the action, the filter and the counts.
     *
     * @param securityContext the caller, named in the log
     * @param action {@code hold}, {@code release}, {@code requeue}, {@code bounce} or {@code delete}
     * @param state the state to act on, in any case; absent for every state the action allows
     * @param header {@code name:value}: the header (named up to the first colon) must have exactly the value after it;
     *               absent for none
     * @param olderThan how long ago the messages were created at least, {@code PT1H} or {@code 1h}; absent for any age
     * @param errorContains text the last error must contain, ignoring the case of ASCII letters; absent for any
     * @param destination the destination the messages must have, exactly; absent for any
     * @param dryRun true to count the matching messages without changing them; absent means false
     * @return a {@link BulkActionDescriptor}, or a 400 {@link ErrorDescriptor} for an unknown action, a malformed
     *         filter, or a filter state that the action does not allow
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> bulk(SecurityContext securityContext, String action,
                                                           @Nullable String state, @Nullable String header,
                                                           @Nullable String olderThan, @Nullable String errorContains,
                                                           @Nullable String destination, @Nullable Boolean dryRun) {
        try {
            BulkAction bulk = BulkAction.parse(action);
            BulkFilter request = BulkFilter.ofFields(state, header, olderThan, errorContains, destination);
            BulkAction.Result result = bulk.run(spool, request, Boolean.TRUE.equals(dryRun));
            Principal caller = securityContext.getPrincipal();
            log.info("Bulk {}{} by {} on messages matching {}: {} matched, {} changed", bulk.label(),
                    Boolean.TRUE.equals(dryRun) ? " (dry run)" : "", caller != null ? caller.getName() : "anonymous",
                    request.toFilter(request.state()), result.matched(), result.changed());
            return new WebEndpointResponse<>(new BulkActionDescriptor(result.matched().value(),
                    result.matched().estimated(), result.changed()));
        } catch (IllegalArgumentException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage(), null, null);
        }
    }

    /**
     * What a bulk action did.
     *
     * @param matched how many messages matched the filter in the states the action acts on
     * @param estimated whether {@code matched} is an estimate (more messages in range than the spool's exact-count
     *                  limit, see {@link RetrySpool#estimateCount})
     * @param changed how many of them were moved or deleted; 0 for a dry run (a message that changed state meanwhile,
     *                or on which an attempt still runs, is skipped)
     */
    public record BulkActionDescriptor(long matched, boolean estimated, long changed) implements OperationResponseBody {
    }
}
