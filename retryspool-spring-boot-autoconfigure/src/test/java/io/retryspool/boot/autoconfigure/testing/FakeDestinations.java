package io.retryspool.boot.autoconfigure.testing;

import io.retryspool.DestinationStatus;
import io.retryspool.RetrySpool;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Destinations' statuses kept in a map, answering a spool's {@link RetrySpool#suspendedDestinations()} and
 * {@link RetrySpool#resumeDestination} as the stores do (suspended ones by name; resuming makes one healthy), so that
 * the endpoint and the dashboard can be tested with destinations in any state at any time.
 */
public final class FakeDestinations {

    private final Map<String, DestinationStatus> statuses = new ConcurrentSkipListMap<>();

    /**
     * Sets a destination's status.
     *
     * @param status the status
     * @return this
     */
    public FakeDestinations put(DestinationStatus status) {
        statuses.put(status.name(), status);
        return this;
    }

    /**
     * Returns a destination's status.
     *
     * @param name the destination
     * @return its status; healthy when none was set
     */
    public DestinationStatus status(String name) {
        return statuses.getOrDefault(name, DestinationStatus.healthy(name));
    }

    /**
     * Wraps a spool: its suspended destinations and their resumption come from this map, every other call goes to it.
     *
     * @param spool the spool
     * @return the wrapped spool
     */
    public RetrySpool around(RetrySpool spool) {
        return (RetrySpool) Proxy.newProxyInstance(RetrySpool.class.getClassLoader(), new Class<?>[]{RetrySpool.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "suspendedDestinations" -> suspended();
                    case "resumeDestination" -> resume((String) args[0]);
                    default -> {
                        try {
                            yield method.invoke(spool, args);
                        } catch (InvocationTargetException ex) {
                            throw ex.getCause();
                        }
                    }
                });
    }

    private List<DestinationStatus> suspended() {
        return statuses.values().stream().filter(DestinationStatus::suspended).toList();
    }

    private boolean resume(String name) {
        DestinationStatus before = statuses.put(name, DestinationStatus.healthy(name));
        return before != null && before.suspended();
    }
}
