package io.retryspool.internal.processing;

import io.micrometer.observation.Observation;
import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.MessageMetadata;
import io.retryspool.ProcessingOutcome;
import io.retryspool.QueueState;
import io.retryspool.SpoolListener;
import io.retryspool.handler.MessageHandler;
import io.retryspool.internal.StoredMessageBody;
import io.retryspool.internal.observation.DeliveryObservations;
import io.retryspool.observation.DeliveryOutcome;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.DestinationResult;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Processes one claimed message: picks the handler, runs it with the body and the message id in the MDC,
 * contains whatever it throws (errors included), and stores the outcome. Claims from BOUNCE go to the
 * bounce handlers, all others to the delivery handlers. A delivery attempt on a message with a destination also
 * reports what it tells about the destination ({@link OutcomeDecider#destinationResult}) with its outcome; an
 * attempt given back, one whose outcome is discarded and a message no handler accepts report nothing. Each handler
 * run is a {@code retryspool.delivery} observation, current while the handler runs.
 */
public final class MessageProcessor {

    /** MDC key holding the message id while a handler runs. */
    public static final String MDC_MESSAGE_ID = "retryspool.messageId";
    /** MDC key holding the attempt number while a handler runs. */
    public static final String MDC_ATTEMPT = "retryspool.attempt";

    private static final Logger log = LoggerFactory.getLogger(MessageProcessor.class);

    private final DataStore dataStore;
    private final HandlerSelector handlers;
    private final HandlerSelector bounceHandlers;
    private final OutcomeDecider decider;
    private final OutcomeWriter writer;
    private final Clock clock;
    private final SpoolListener listener;
    private final DeliveryObservations observations;

    /**
     * Creates a processor.
     *
     * @param dataStore where bodies are read from (codecs applied)
     * @param handlers the delivery handlers
     * @param bounceHandlers the bounce handlers
     * @param decider turns results into outcomes
     * @param writer stores outcomes
     * @param clock the clock
     * @param listener hears handler runs and outcomes
     * @param observations observes handler runs
     */
    public MessageProcessor(DataStore dataStore, HandlerSelector handlers, HandlerSelector bounceHandlers,
                            OutcomeDecider decider, OutcomeWriter writer, Clock clock, SpoolListener listener,
                            DeliveryObservations observations) {
        this.dataStore = dataStore;
        this.handlers = handlers;
        this.bounceHandlers = bounceHandlers;
        this.decider = decider;
        this.writer = writer;
        this.clock = clock;
        this.listener = listener;
        this.observations = observations;
    }

    /**
     * Processes a claim with the registered handlers.
     *
     * @param claim the claim
     * @param attempt tells whether the spool is stopping and whether the attempt may still store its outcome
     * @return completes when the outcome is stored (or storing it failed, which is logged)
     */
    public CompletableFuture<Void> process(Claim claim, AttemptControl attempt) {
        boolean bounce = !claim.isDelivery();
        MessageMetadata metadata = claim.metadata();
        Optional<MessageHandler> handler = (bounce ? bounceHandlers : handlers).select(metadata.id(), metadata.headers());
        if (handler.isEmpty()) {
            if (!attempt.finish()) {
                return CompletableFuture.completedFuture(null);
            }
            return store(bounce
                    ? decider.bounceFailed(claim, new IllegalStateException(
                            "no bounce handler accepts message " + metadata.id()), Map.of(), now())
                    : decider.noHandler(claim, now()), !bounce, null);
        }
        return run(claim, handler.get(), bounce, attempt);
    }

    /**
     * Stores the outcome of an attempt that ran past the attempt timeout: a retryable failure.
     *
     * @param claim the claim
     * @param timeout the attempt timeout
     * @return completes when the outcome is stored (or storing it failed, which is logged)
     */
    public CompletableFuture<Void> timedOut(Claim claim, Duration timeout) {
        return store(decider.timedOut(claim, timeout, now()), claim.isDelivery(),
                decider.destinationResult(claim, AttemptFailure.timedOut(timeout)));
    }

    /**
     * Gives a claim back unprocessed, without spending an attempt.
     *
     * @param claim the claim
     * @return completes when the outcome is stored (or storing it failed, which is logged)
     */
    public CompletableFuture<Void> giveBack(Claim claim) {
        return store(decider.released(claim, now()), false, null);
    }

    /**
     * Processes a claim with the given handler as its delivery handler.
     *
     * @param claim the claim
     * @param handler the handler
     * @return completes when the outcome is stored (or storing it failed, which is logged)
     */
    public CompletableFuture<Void> process(Claim claim, MessageHandler handler) {
        return run(claim, handler, false, AttemptControl.UNLIMITED);
    }

    private CompletableFuture<Void> run(Claim claim, MessageHandler handler, boolean bounce, AttemptControl control) {
        MessageMetadata metadata = claim.metadata();
        int attempt = metadata.attempts();
        DefaultMessageContext context = new DefaultMessageContext(metadata.id(), attempt, metadata.headers());
        Throwable failure = null;
        MDC.put(MDC_MESSAGE_ID, metadata.id());
        MDC.put(MDC_ATTEMPT, Integer.toString(attempt));
        MessageBody body = null;
        long started = System.nanoTime();
        Observation observation = observations.start(metadata, handler.name(), bounce);
        Observation.Scope scope = observation.openScope();
        try {
            body = new StoredMessageBody(metadata.id(), () -> dataStore.openReader(metadata.id()), metadata.size());
            log.debug("Handler {} starts {} attempt {} of message {}", handler.name(), bounce ? "bounce" : "delivery",
                    attempt, metadata.id());
            handler.handle(context, Message.of(metadata), body);
        } catch (Throwable t) {
            failure = t;
        } finally {
            scope.close();
            closeQuietly(body, metadata.id());
            MDC.remove(MDC_MESSAGE_ID);
            MDC.remove(MDC_ATTEMPT);
        }
        listener.handlerFinished(handler.name(), failure == null, Duration.ofNanos(System.nanoTime() - started));
        boolean interrupted = Thread.interrupted();
        if (!control.finish()) {
            log.warn("Handler {} returned from message {} after its attempt timed out; its outcome ({}) is discarded",
                    handler.name(), metadata.id(), failure == null ? "success" : OutcomeDecider.describe(failure));
            DeliveryObservations.stop(observation, failure, DeliveryOutcome.TIMED_OUT);
            return CompletableFuture.completedFuture(null);
        }
        Instant now = now();
        Map<String, String> headers = context.headers();
        if (failure != null && control.stopping() && (interrupted || isInterruption(failure))) {
            log.info("Handler {} was interrupted by shutdown; message {} goes back to {} without counting the attempt",
                    handler.name(), metadata.id(), claim.claimedFrom());
            DeliveryObservations.stop(observation, failure, DeliveryOutcome.RELEASED);
            return store(decider.released(claim, now), false, null);
        }
        ClaimOutcome outcome;
        if (failure == null) {
            outcome = bounce ? decider.bounceDelivered(claim, headers, now) : decider.delivered(claim, headers, now);
        } else {
            log.debug("Handler {} failed on message {}", handler.name(), metadata.id(), failure);
            outcome = bounce ? decider.bounceFailed(claim, failure, headers, now)
                    : decider.deliveryFailed(claim, failure, headers, now);
        }
        DeliveryObservations.stop(observation, failure, DeliveryObservations.outcomeOf(outcome, bounce));
        return store(outcome, !bounce, decider.destinationResult(claim, failure));
    }

    private CompletableFuture<Void> store(ClaimOutcome outcome, boolean delivery, @Nullable DestinationResult result) {
        return writer.submit(outcome, result).handle((written, error) -> {
            if (error != null) {
                log.error("Could not store the outcome of message {}; when its lease expires the attempt counts as"
                        + " failed and the message is delivered again", outcome.id(), error);
            } else if (written) {
                if (delivery) {
                    listener.processed(outcomeOf(outcome));
                }
                logStored(outcome);
            }
            return null;
        });
    }

    private static void logStored(ClaimOutcome outcome) {
        if (!log.isDebugEnabled()) {
            return;
        }
        MessageMetadata result = outcome.result();
        if (result == null) {
            log.debug("Message {} is now done and deleted", outcome.id());
        } else if (result.state() == QueueState.DEFERRED) {
            log.debug("Message {} deferred after attempt {}; next retry at {}", outcome.id(), result.attempts(),
                    result.nextRetry());
        } else {
            log.debug("Message {} is now {}", outcome.id(), result.state());
        }
    }

    /**
     * What a stored delivery outcome means for {@link SpoolListener#processed}: a delivered message is deleted or
     * archived, a failed one deferred or bounced.
     */
    static ProcessingOutcome outcomeOf(ClaimOutcome outcome) {
        if (outcome.deletes()) {
            return ProcessingOutcome.DELIVERED;
        }
        return switch (Objects.requireNonNull(outcome.result()).state()) {
            case ARCHIVED -> ProcessingOutcome.DELIVERED;
            case DEFERRED -> ProcessingOutcome.DEFERRED;
            case BOUNCE -> ProcessingOutcome.BOUNCED;
            default -> throw new IllegalStateException("a delivery attempt does not leave message " + outcome.id()
                    + " " + Objects.requireNonNull(outcome.result()).state());
        };
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static void closeQuietly(@Nullable MessageBody body, String messageId) {
        if (body == null) {
            return;
        }
        try {
            body.close();
        } catch (Exception e) {
            log.debug("Could not close the body of message {}", messageId, e);
        }
    }

    private static boolean isInterruption(Throwable failure) {
        return Causes.anyMatch(failure, t -> t instanceof InterruptedException || t instanceof InterruptedIOException
                || t instanceof ClosedByInterruptException);
    }
}
