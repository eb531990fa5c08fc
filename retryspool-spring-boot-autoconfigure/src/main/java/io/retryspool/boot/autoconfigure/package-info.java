/**
 * Spring Boot auto-configuration for RetrySpool: properties ({@code retryspool.*}), stores, schema, handlers
 * and lifecycle. Metrics, health and the Actuator endpoint live in sub-packages.
 */
package io.retryspool.boot.autoconfigure;
