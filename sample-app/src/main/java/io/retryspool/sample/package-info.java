/**
 * A notification-delivery service built on the RetrySpool starter: a REST API enqueues notifications, a
 * {@link io.retryspool.handler.MessageHandler} delivers them to a simulated, sometimes failing endpoint, and a
 * bounce handler records the ones that could not be delivered. Run it with
 * {@code ./mvnw -pl sample-app -am spring-boot:run}.
 */
@NullMarked
package io.retryspool.sample;

import org.jspecify.annotations.NullMarked;
