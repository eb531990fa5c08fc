package io.retryspool.boot.autoconfigure.dashboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Live updates for open dashboards, as server-sent events ({@code <path>/api/events}): an {@code overview} event
 * whenever this instance's spool enqueued or stored an outcome, or the store's notifications (PostgreSQL's
 * LISTEN/NOTIFY) told of another instance's enqueue, since the last one (checked every {@code tick}), and at least
 * every {@code heartbeat} so that the changes no notification tells of (other instances' deliveries, every change on
 * SQLite) show too. One overview is computed per
 * tick for all open dashboards; a dashboard that went away is dropped on the next send.
 */
@RestController
@RequestMapping("${retryspool.dashboard.path:/retryspool}/api")
final class DashboardEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashboardEvents.class);
    /**
     * After computing an overview that took {@code t}, the next one waits until {@code QUIET_FACTOR × t} has passed
     * since it began: on a table so large (or a database so busy) that an overview is slow, the live view slows down
     * rather than keep a connection busy more than a fifth of the time.
     */
    private static final int QUIET_FACTOR = 5;

    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final DashboardChanges changes;
    private final Supplier<Object> overview;
    private final long heartbeatTicks;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "retryspool-dashboard-events");
        thread.setDaemon(true);
        return thread;
    });
    private long lastChanges = -1;
    private long ticksSinceSend;
    /** No overview is computed before this {@link System#nanoTime()}: see {@link #QUIET_FACTOR}. */
    private long quietUntil = System.nanoTime();

    DashboardEvents(DashboardChanges changes, Supplier<Object> overview, Duration tick, Duration heartbeat) {
        this.changes = changes;
        this.overview = overview;
        this.heartbeatTicks = Math.max(1, heartbeat.toMillis() / tick.toMillis());
        timer.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events() {
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(error -> emitters.remove(emitter));
        emitters.add(emitter);
        send(List.of(emitter), overview.get());
        return emitter;
    }

    private void tick() {
        try {
            long start = System.nanoTime();
            if (emitters.isEmpty() || start - quietUntil < 0) {
                return;
            }
            long seen = changes.changes();
            ticksSinceSend++;
            if (seen != lastChanges || ticksSinceSend >= heartbeatTicks) {
                lastChanges = seen;
                ticksSinceSend = 0;
                Object current = overview.get();
                quietUntil = start + QUIET_FACTOR * (System.nanoTime() - start);
                send(emitters, current);
            }
        } catch (RuntimeException ex) {
            log.debug("Could not send the dashboard's live update", ex);
        }
    }

    private void send(List<SseEmitter> targets, Object data) {
        for (SseEmitter emitter : targets) {
            try {
                emitter.send(SseEmitter.event().name("overview").data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException ex) {
                emitters.remove(emitter);
                emitter.completeWithError(ex);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        emitters.forEach(SseEmitter::complete);
        emitters.clear();
    }
}
