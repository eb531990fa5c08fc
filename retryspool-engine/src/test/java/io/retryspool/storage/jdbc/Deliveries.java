package io.retryspool.storage.jdbc;

import io.retryspool.handler.MessageHandler;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every delivery: how often each id was delivered, when first, at which attempt and by whom. */
final class Deliveries {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstDelivery = new ConcurrentHashMap<>();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    MessageHandler handler(String instanceId) {
        return (context, message, body) -> {
            Instant now = Instant.now();
            firstDelivery.putIfAbsent(message.id(), now);
            attempts.putIfAbsent(message.id(), context.attempt());
            counts.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
            byInstance.computeIfAbsent(instanceId, id -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
        };
    }

    Map<String, AtomicInteger> counts() {
        return counts;
    }

    int total() {
        return total.get();
    }

    int byInstance(String instanceId) {
        AtomicInteger count = byInstance.get(instanceId);
        return count == null ? 0 : count.get();
    }

    Map<String, Integer> deliveredMoreThanOnce() {
        Map<String, Integer> repeated = new TreeMap<>();
        counts.forEach((id, count) -> {
            if (count.get() > 1) {
                repeated.put(id, count.get());
            }
        });
        return repeated;
    }

    boolean noneOf(Collection<String> ids) {
        return ids.stream().noneMatch(counts::containsKey);
    }

    Instant firstDelivery(String id) {
        return firstDelivery.get(id);
    }

    Integer attempt(String id) {
        return attempts.get(id);
    }
}
