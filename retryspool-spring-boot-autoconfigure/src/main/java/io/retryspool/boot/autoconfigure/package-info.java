/**
 * Spring Boot auto-configuration for RetrySpool: properties ({@code retryspool.*}), stores, schema, handlers
 * and lifecycle. Metrics, health and the Actuator endpoint live in sub-packages.
 */
@NullMarked
package io.retryspool.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
