package io.retryspool.internal.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.retryspool.MessageMetadata;
import io.retryspool.observation.DefaultDeliveryObservationConvention;
import io.retryspool.observation.DeliveryContext;
import io.retryspool.observation.DeliveryObservationConvention;
import io.retryspool.observation.DeliveryOutcome;
import io.retryspool.storage.ClaimOutcome;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Starts a {@code retryspool.delivery} observation for each handler run; its context reads the trace context
 * from the message's stored headers, so that every attempt, on whichever instance, continues the trace of the
 * message's enqueue.
 */
public final class DeliveryObservations {

    private static final DeliveryObservationConvention DEFAULT_CONVENTION = new DefaultDeliveryObservationConvention();

    private final ObservationRegistry registry;

    /**
     * Creates the delivery observations of a spool.
     *
     * @param registry the registry, {@link ObservationRegistry#NOOP} for none
     */
    public DeliveryObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /**
     * Starts the observation of one handler run.
     *
     * @param metadata the claimed message
     * @param handlerName the handler's name
     * @param bounce whether a bounce handler runs
     * @return the started observation; {@link Observation#NOOP} when nothing observes
     */
    public Observation start(MessageMetadata metadata, String handlerName, boolean bounce) {
        if (registry.isNoop()) {
            return Observation.NOOP;
        }
        return Observation.createNotStarted(null, DEFAULT_CONVENTION, () -> new DeliveryContext(metadata.headers(),
                metadata.id(), metadata.attempts(), handlerName, bounce, metadata.destination()), registry).start();
    }

    /**
     * Stops the observation of a handler run with what became of the message.
     *
     * @param observation the observation {@link #start} returned
     * @param failure what the handler threw, or null
     * @param outcome the outcome
     */
    public static void stop(Observation observation, @Nullable Throwable failure, DeliveryOutcome outcome) {
        if (observation.isNoop()) {
            return;
        }
        if (observation.getContext() instanceof DeliveryContext context) {
            context.setOutcome(outcome);
        }
        if (failure != null) {
            observation.error(failure);
        }
        observation.stop();
    }

    /**
     * What a stored outcome means for the observation of the run that led to it.
     *
     * @param outcome the outcome of a handler run
     * @param bounce whether a bounce handler ran
     * @return delivered for a message deleted or archived; retry for one deferred, or left to bounce again after a
     *     bounce handler failed; bounce for a delivery that failed for good
     */
    public static DeliveryOutcome outcomeOf(ClaimOutcome outcome, boolean bounce) {
        if (outcome.deletes()) {
            return DeliveryOutcome.DELIVERED;
        }
        return switch (Objects.requireNonNull(outcome.result(), "an outcome that keeps the message has a result").state()) {
            case DEFERRED -> DeliveryOutcome.RETRY;
            case BOUNCE -> bounce ? DeliveryOutcome.RETRY : DeliveryOutcome.BOUNCE;
            default -> DeliveryOutcome.DELIVERED;
        };
    }
}
