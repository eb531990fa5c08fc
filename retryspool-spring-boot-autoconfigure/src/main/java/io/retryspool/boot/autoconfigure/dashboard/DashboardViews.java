package io.retryspool.boot.autoconfigure.dashboard;

import io.retryspool.ActivityMinute;
import io.retryspool.DestinationStatus;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.boot.autoconfigure.operations.DestinationState;
import io.retryspool.boot.autoconfigure.operations.OperatorRequests;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The JSON the dashboard's pages read. */
final class DashboardViews {

    private DashboardViews() {
    }

    /** Who is looking, and what they may do. */
    record Session(@Nullable String user, boolean canWrite, boolean showsValues, @Nullable String csrfHeader,
                   @Nullable String csrfToken,
                   List<String> retryPolicies) {
    }

    /** The overview. */
    record Overview(Map<String, Long> counts, List<String> estimated, boolean running, @Nullable Instant oldestDue,
                    @Nullable Long oldestDueAgeSeconds, Delayed delayed, List<Minute> lastHour, Instant takenAt,
                    List<DestinationView> suspendedDestinations) {
    }

    /**
     * How a destination has fared lately.
     *
     * @param name the destination's name
     * @param state PAUSED until {@code suspendedUntil}, PROBING after it until an attempt succeeds, HEALTHY otherwise
     * @param failures failed delivery attempts in a row since its last success
     * @param suspensions suspensions in a row since its last success; 0 when it is not suspended
     * @param suspendedUntil when its pause ends (or ended, while PROBING); null when it is not suspended
     */
    record DestinationView(String name, DestinationState state, int failures, int suspensions,
                           @Nullable Instant suspendedUntil) {

        static DestinationView of(DestinationStatus status, Instant now) {
            return new DestinationView(status.name(), DestinationState.of(status, now), status.failures(),
                    status.suspensions(), status.suspendedUntil());
        }
    }

    /**
     * One minute of every instance's activity.
     *
     * @param startMillis when the minute began, in milliseconds since the epoch
     * @param delivered delivery attempts that delivered
     * @param deferred delivery attempts deferred for a retry
     * @param bounced delivery attempts that bounced
     * @param enqueued messages enqueued
     */
    record Minute(long startMillis, long delivered, long deferred, long bounced, long enqueued) {

        static Minute of(ActivityMinute minute) {
            return new Minute(minute.start().toEpochMilli(), minute.delivered(), minute.deferred(), minute.bounced(),
                    minute.enqueued());
        }
    }

    /**
     * The messages still undelivered {@code afterSeconds} after they were enqueued, per state holding any (an
     * estimate when {@code estimated}).
     */
    record Delayed(long afterSeconds, Map<String, Long> byState, boolean estimated) {
    }

    /**
     * One shard of a spool over several databases.
     *
     * @param name the shard's name
     * @param affinity its weight of new messages; 0 while it drains
     * @param reachable whether it could be read
     * @param counts its messages per state; empty when it could not be read
     * @param estimated the states whose count is an estimate
     * @param error why it could not be read, or null
     */
    record ShardView(String name, int affinity, boolean reachable, Map<String, Long> counts, List<String> estimated,
                     @Nullable String error) {

        static ShardView of(io.retryspool.boot.autoconfigure.operations.ShardReport report) {
            return report.reachable()
                    ? new ShardView(report.name(), report.affinity(), true,
                    io.retryspool.boot.autoconfigure.operations.OperatorRequests.countsByName(Objects.requireNonNull(report.counts())),
                    io.retryspool.boot.autoconfigure.operations.OperatorRequests.estimatedStates(Objects.requireNonNull(report.counts())), null)
                    : new ShardView(report.name(), report.affinity(), false, Map.of(), List.of(), report.error());
        }
    }

    /** A page of one state's messages. */
    record MessagePage(String state, List<MessageView> items, long total, boolean totalEstimated, boolean hasMore,
                       @Nullable String nextCursor) {
    }

    /** A message's metadata and headers, never its body. */
    record MessageView(String id, QueueState state, int attempts, int maxAttempts, Instant nextRetry, Instant created,
                       Instant updated, @Nullable String lastError, long size, int priority, Map<String, String> headers,
                       @Nullable String retryPolicy, @Nullable String archivedAs, @Nullable String destination) {

        static MessageView of(MessageMetadata metadata, boolean showValues) {
            Map<String, String> headers = OperatorRequests.headers(metadata.headers(), showValues);
            return new MessageView(metadata.id(), metadata.state(), metadata.attempts(), metadata.maxAttempts(),
                    metadata.nextRetry(), metadata.created(), metadata.updated(), metadata.lastError(), metadata.size(),
                    metadata.priority(), headers, metadata.retryPolicyName(),
                    metadata.archivedAs() != null ? metadata.archivedAs().name() : null, metadata.destination());
        }
    }

    /** The backlog's shape: per state but ARCHIVED, one count per age bucket. */
    record Backlog(Instant takenAt, List<String> buckets, Map<String, List<Long>> states,
                   Map<String, List<Boolean>> estimated) {
    }

    /** What a bulk action matched (an estimate when {@code estimated}) and changed. */
    record BulkResult(long matched, boolean estimated, long changed) {
    }

    /** Why a request failed. */
    record Problem(int status, @Nullable String message) {
    }
}
