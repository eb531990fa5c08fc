package io.retryspool.boot.autoconfigure.dashboard;

import io.retryspool.boot.autoconfigure.operations.ShardReport;
import io.retryspool.storage.shard.ShardedStore;
import io.retryspool.BacklogShape;
import io.retryspool.Count;
import io.retryspool.DestinationStatus;
import io.retryspool.ListOptions;
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
import io.retryspool.boot.autoconfigure.operations.OperatorAction;
import io.retryspool.boot.autoconfigure.operations.OperatorRequests;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's JSON API under {@code <retryspool.dashboard.path>/api}: the session (who, what they may do), the
 * overview, a page of one state's messages (keyset paging, never an offset), one message, the actions on one
 * message, the suspended destinations and resuming one. Writes need the header {@value #WRITE_HEADER} (which a cross-site form cannot send), the dashboard's write
 * access, and with Spring Security its CSRF token and the write role; each write is logged at INFO with who did it.
 */
@RestController
@RequestMapping("${retryspool.dashboard.path:/retryspool}/api")
final class DashboardController {

    /** The header every write must carry; the dashboard's script sends it. */
    static final String WRITE_HEADER = "X-RetrySpool-Dashboard";

    private static final Logger log = LoggerFactory.getLogger(DashboardController.class);
    private static final int MAX_PAGE = 500;
    /** The states of messages still waiting for delivery, which can be delayed. */
    private static final List<QueueState> DELAYABLE = List.of(QueueState.INCOMING, QueueState.ACTIVE,
            QueueState.DEFERRED, QueueState.HOLD);

    private final RetrySpool spool;
    private final DashboardAccess access;
    private final List<String> retryPolicies;
    private final Duration delayedAfter;
    private final Clock clock;
    private final @Nullable ShardedStore shards;
    private final long exactCountLimit;

    DashboardController(RetrySpool spool, DashboardAccess access, List<String> retryPolicies, Duration delayedAfter,
                        Clock clock, @Nullable ShardedStore shards, long exactCountLimit) {
        this.spool = spool;
        this.shards = shards;
        this.exactCountLimit = exactCountLimit;
        this.access = access;
        this.retryPolicies = List.copyOf(retryPolicies);
        this.delayedAfter = delayedAfter;
        this.clock = clock;
    }

    @GetMapping("/session")
    DashboardViews.Session session(HttpServletRequest request) {
        CsrfTokens.Token csrf = CsrfTokens.of(request);
        return new DashboardViews.Session(request.getUserPrincipal() != null ? request.getUserPrincipal().getName() : null,
                access.canWrite(request), access.showsValues(request),
                csrf != null ? csrf.headerName() : null, csrf != null ? csrf.token() : null, retryPolicies);
    }

    @GetMapping("/overview")
    DashboardViews.Overview overview() {
        QueueCounts counts = spool.estimateCounts();
        Instant now = clock.instant();
        Instant oldestDue = spool.oldestDue().orElse(null);
        Long age = oldestDue == null ? null : Math.max(0, Duration.between(oldestDue, now).toSeconds());
        return new DashboardViews.Overview(OperatorRequests.countsByName(counts),
                OperatorRequests.estimatedStates(counts), spool.isRunning(), oldestDue, age, delayed(),
                spool.activity(Duration.ofHours(1)).stream().map(DashboardViews.Minute::of).toList(), now,
                suspendedDestinations(now));
    }

    /** The destinations suspended after failing too many times in a row, by name, each paused or on probation. */
    @GetMapping("/destinations")
    List<DashboardViews.DestinationView> destinations() {
        return suspendedDestinations(clock.instant());
    }

    private List<DashboardViews.DestinationView> suspendedDestinations(Instant now) {
        return spool.suspendedDestinations().stream().map(status -> DashboardViews.DestinationView.of(status, now))
                .toList();
    }

    /**
     * Resumes a suspended destination: {@code {"destination": name, "action": "resume"}}. Its messages are attempted
     * again at once, within its limits, and its failures in a row count from zero. Answers the destination as it now
     * stands; 409 when it is not suspended.
     */
    @PostMapping("/destinations/actions")
    ResponseEntity<Object> destinationAction(HttpServletRequest request,
                                             @RequestHeader(name = WRITE_HEADER, required = false) String marker,
                                             @RequestBody Map<String, String> body) {
        ResponseEntity<Object> refused = refuseWrite(request, marker);
        if (refused != null) {
            return refused;
        }
        String action = body.getOrDefault("action", "");
        if (!"resume".equals(action)) {
            return problem(HttpStatus.BAD_REQUEST, "Unknown action '" + action + "' on a destination; expected resume");
        }
        String destination = body.get("destination");
        if (destination == null) {
            return problem(HttpStatus.BAD_REQUEST, "destination: must be given");
        }
        try {
            InputLimits.requireDestination("destination", destination);
            if (!spool.resumeDestination(destination)) {
                return problem(HttpStatus.CONFLICT, "Destination '" + destination + "' is not suspended; there is "
                        + "nothing to resume");
            }
        } catch (IllegalArgumentException ex) {
            return problem(HttpStatus.BAD_REQUEST, ex.getMessage());
        }
        log.info("Dashboard: {} resumed destination {}", DashboardAccess.who(request), destination);
        return ResponseEntity.ok(DashboardViews.DestinationView.of(DestinationStatus.healthy(destination),
                clock.instant()));
    }

    /** The shards of a spool over several databases, each read on its own; none for a spool on one database. */
    @GetMapping("/shards")
    List<DashboardViews.ShardView> shards() {
        return shards == null ? List.of()
                : ShardReport.read(shards, exactCountLimit).stream().map(DashboardViews.ShardView::of).toList();
    }

    /** The messages still undelivered after the delay-warning time (or an hour), per state that holds any. */
    private DashboardViews.Delayed delayed() {
        Map<String, Long> byState = new LinkedHashMap<>();
        boolean estimated = false;
        for (QueueState state : DELAYABLE) {
            Count count = spool.estimateCount(MessageFilter.builder().state(state).olderThan(delayedAfter).build());
            if (count.value() > 0) {
                byState.put(state.name(), count.value());
            }
            estimated |= count.estimated();
        }
        return new DashboardViews.Delayed(delayedAfter.toSeconds(), byState, estimated);
    }

    @GetMapping("/messages")
    ResponseEntity<Object> messages(HttpServletRequest request, @RequestParam String state,
                                    @RequestParam(required = false) Integer limit,
                                    @RequestParam(required = false) String after,
                                    @RequestParam(required = false) String headerName,
                                    @RequestParam(required = false) String headerValue,
                                    @RequestParam(required = false) String olderThan,
                                    @RequestParam(required = false) String errorContains,
                                    @RequestParam(required = false) String destination) {
        QueueState queueState = OperatorRequests.state(state);
        if (queueState == null) {
            return problem(HttpStatus.BAD_REQUEST, "Unknown state '" + state + "'");
        }
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_PAGE) {
            return problem(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_PAGE + ", was " + size);
        }
        Page<io.retryspool.Message> page;
        try {
            ListOptions options = ListOptions.builder().limit(size)
                    .after(after == null || after.isBlank() ? null : after).build();
            MessageFilter filter = OperatorRequests.listingFilter(queueState,
                    headerName == null || headerName.isBlank() ? null : headerName.trim(), headerValue, olderThan,
                    errorContains, destination);
            page = filter == null ? spool.list(queueState, options) : spool.list(filter, options);
        } catch (IllegalArgumentException ex) {
            return problem(HttpStatus.BAD_REQUEST, ex.getMessage());
        }
        boolean show = access.showsValues(request);
        return ResponseEntity.ok(new DashboardViews.MessagePage(queueState.name(), page.items().stream()
                .map(message -> DashboardViews.MessageView.of(message.metadata(), show)).toList(),
                page.total(), page.totalEstimated(), page.hasMore(), page.nextCursor()));
    }

    @GetMapping("/messages/{id}")
    ResponseEntity<Object> message(HttpServletRequest request, @PathVariable String id) {
        try {
            return ResponseEntity.ok(DashboardViews.MessageView.of(spool.getMessage(id).metadata(),
                    access.showsValues(request)));
        } catch (MessageNotFoundException ex) {
            return problem(HttpStatus.NOT_FOUND, "No message with id '" + id + "'");
        }
    }

    @PostMapping("/messages/{id}/actions")
    ResponseEntity<Object> act(HttpServletRequest request, @RequestHeader(name = WRITE_HEADER, required = false) String marker,
                               @PathVariable String id, @RequestBody Map<String, String> body) {
        ResponseEntity<Object> refused = refuseWrite(request, marker);
        if (refused != null) {
            return refused;
        }
        String action = body.getOrDefault("action", "");
        try {
            if ("retry-policy".equals(action)) {
                String policy = body.get("retryPolicy");
                spool.setRetryPolicy(id, policy == null || policy.isBlank() ? null : policy);
                log.info("Dashboard: {} set the retry policy of message {} to {}", DashboardAccess.who(request), id,
                        policy == null || policy.isBlank() ? "the default" : policy);
            } else {
                OperatorAction move = OperatorAction.parse(action);
                if (move == null) {
                    return problem(HttpStatus.BAD_REQUEST, "Unknown action '" + action + "'; expected one of "
                            + "hold, release, requeue, bounce, retry-policy");
                }
                QueueState current = spool.getMessage(id).metadata().state();
                if (!move.from().contains(current)) {
                    return problem(HttpStatus.CONFLICT, "Message '" + id + "' is " + current + "; " + move.label()
                            + " needs it in " + move.from().stream().sorted().toList());
                }
                spool.moveToState(id, current, move.to());
                log.info("Dashboard: {} moved message {} from {} to {} ({})", DashboardAccess.who(request), id, current,
                        move.to(), move.label());
            }
            return ResponseEntity.ok(DashboardViews.MessageView.of(spool.getMessage(id).metadata(),
                    access.showsValues(request)));
        } catch (MessageNotFoundException ex) {
            return problem(HttpStatus.NOT_FOUND, "No message with id '" + id + "'");
        } catch (StateConflictException ex) {
            return problem(HttpStatus.CONFLICT, ex.getMessage());
        } catch (IllegalArgumentException ex) {
            return problem(HttpStatus.BAD_REQUEST, ex.getMessage());
        }
    }

    @DeleteMapping("/messages/{id}")
    ResponseEntity<Object> delete(HttpServletRequest request, @RequestHeader(name = WRITE_HEADER, required = false) String marker,
                                  @PathVariable String id) {
        ResponseEntity<Object> refused = refuseWrite(request, marker);
        if (refused != null) {
            return refused;
        }
        try {
            spool.delete(id);
            log.info("Dashboard: {} deleted message {}", DashboardAccess.who(request), id);
            return ResponseEntity.noContent().build();
        } catch (MessageNotFoundException ex) {
            return problem(HttpStatus.NOT_FOUND, "No message with id '" + id + "'");
        }
    }

    @GetMapping("/backlog")
    DashboardViews.Backlog backlog() {
        BacklogShape shape = spool.backlog();
        Map<String, List<Long>> states = new LinkedHashMap<>();
        Map<String, List<Boolean>> estimated = new LinkedHashMap<>();
        for (QueueState state : BacklogShape.STATES) {
            states.put(state.name(), shape.counts(state));
            List<Boolean> cells = new ArrayList<>();
            for (int bucket = 0; bucket < BacklogShape.BUCKETS; bucket++) {
                cells.add(shape.estimated(state, bucket));
            }
            estimated.put(state.name(), cells);
        }
        return new DashboardViews.Backlog(shape.takenAt(), BacklogShape.BUCKET_LABELS, states, estimated);
    }

    /**
     * Counts (dry run) or acts on every message matching a filter: {@code {"action": ..., "filter": {...},
     * "dryRun": true|false}}, as the endpoint's bulk operation.
     */
    @PostMapping("/bulk")
    ResponseEntity<Object> bulk(HttpServletRequest request, @RequestHeader(name = WRITE_HEADER, required = false) String marker,
                                @RequestBody Map<String, Object> body) {
        boolean dryRun = !Boolean.FALSE.equals(body.get("dryRun"));
        if (!dryRun) {
            ResponseEntity<Object> refused = refuseWrite(request, marker);
            if (refused != null) {
                return refused;
            }
        }
        try {
            BulkAction action = BulkAction.parse(body.get("action") instanceof String text ? text : null);
            BulkFilter filter = BulkFilter.parse(body.get("filter") instanceof Map<?, ?> map ? map : null);
            BulkAction.Result result = action.run(spool, filter, dryRun);
            if (!dryRun) {
                log.info("Dashboard: {} applied {} to the messages matching {}: {} matched, {} changed",
                        DashboardAccess.who(request), action.label(), filter.toFilter(filter.state()), result.matched(),
                        result.changed());
            }
            return ResponseEntity.ok(new DashboardViews.BulkResult(result.matched().value(),
                    result.matched().estimated(), result.changed()));
        } catch (IllegalArgumentException ex) {
            return problem(HttpStatus.BAD_REQUEST, ex.getMessage());
        }
    }

    private @Nullable ResponseEntity<Object> refuseWrite(HttpServletRequest request, String marker) {
        if (!"1".equals(marker)) {
            log.warn("Dashboard: refused a write without the {} header from {} (a forged cross-site request?)",
                    WRITE_HEADER, DashboardAccess.who(request));
            return problem(HttpStatus.FORBIDDEN, "writes must come from the dashboard (header " + WRITE_HEADER + ")");
        }
        if (!access.canWrite(request)) {
            log.warn("Dashboard: refused a write by {}: {}", DashboardAccess.who(request), access.writeRefusal(request));
            return problem(HttpStatus.FORBIDDEN, "Refused: " + access.writeRefusal(request));
        }
        return null;
    }

    private static ResponseEntity<Object> problem(HttpStatus status, @Nullable String message) {
        return ResponseEntity.status(status).body(new DashboardViews.Problem(status.value(), message));
    }
}
