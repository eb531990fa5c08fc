package io.retryspool.internal;

import io.micrometer.observation.ObservationRegistry;
import io.retryspool.SpoolListener;
import io.retryspool.codec.DataCodec;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.RetrySpoolListeners;
import io.retryspool.retry.RetryPolicy;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.SpoolStore;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * Everything a spool is configured with, checked by {@link io.retryspool.builder.RetrySpoolBuilder}; immutable.
 *
 * @param store where metadata and bodies are kept (codecs not yet applied)
 * @param handlers delivery handlers in order
 * @param bounceHandlers bounce handlers in order
 * @param retryPolicy default retry policy
 * @param namedRetryPolicies named retry policies
 * @param maxAttempts default maximum attempts
 * @param maxLifetime longest time in the spool before a failure bounces
 * @param defaultPriority priority of messages that choose none
 * @param concurrency handler threads
 * @param batchSize messages per claim
 * @param pollInterval idle poll interval
 * @param leaseTimeout lease length
 * @param shutdownGrace wait for running handlers on close
 * @param attemptTimeout the longest a delivery attempt may run; zero for no limit
 * @param instanceId lease owner name
 * @param archiveSuccess whether delivered messages are archived
 * @param archiveBounce whether bounced messages are archived after the bounce handlers
 * @param archiveRetention how long archived messages are kept; zero for ever
 * @param codecs body codecs
 * @param clock the clock
 * @param threadFactory factory of handler threads
 * @param listeners listeners to what the spool does
 * @param delayWarning how long after its creation an undelivered message is reported; zero for never
 * @param delayWarningHandlers the handlers delayed messages are reported to, in order
 * @param exactCountLimit up to how many messages per state (or per filtered count) are counted exactly; beyond it a
 *                        store that can estimate answers with an estimate
 * @param destinations how messages with a destination are scheduled: concurrency and rate limits, suspension
 * @param jsonMapper writes payloads of typed messages and reads them for listener methods
 * @param typedListeners the listener methods of typed messages (may still grow after the spool is built)
 * @param observationRegistry where enqueues and handler runs are observed; {@link ObservationRegistry#NOOP} for
 *                            nowhere
 */
public record SpoolSettings(
        SpoolStore store,
        List<MessageHandler> handlers,
        List<MessageHandler> bounceHandlers,
        RetryPolicy retryPolicy,
        Map<String, RetryPolicy> namedRetryPolicies,
        int maxAttempts,
        Duration maxLifetime,
        int defaultPriority,
        int concurrency,
        int batchSize,
        Duration pollInterval,
        Duration leaseTimeout,
        Duration shutdownGrace,
        Duration attemptTimeout,
        String instanceId,
        boolean archiveSuccess,
        boolean archiveBounce,
        Duration archiveRetention,
        List<DataCodec> codecs,
        Clock clock,
        ThreadFactory threadFactory,
        List<SpoolListener> listeners,
        Duration delayWarning,
        List<DelayWarningHandler> delayWarningHandlers,
        long exactCountLimit,
        DestinationPolicy destinations,
        JsonMapper jsonMapper,
        RetrySpoolListeners typedListeners,
        ObservationRegistry observationRegistry) {
}
