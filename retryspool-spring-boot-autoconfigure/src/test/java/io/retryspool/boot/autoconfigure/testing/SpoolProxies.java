package io.retryspool.boot.autoconfigure.testing;

import io.retryspool.RetrySpool;
import io.retryspool.storage.MetaStore;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Supplier;

/** Wraps spools and stores so tests can watch or break single calls. */
public final class SpoolProxies {

    private SpoolProxies() {
    }

    /**
     * Wraps a spool; a call to a method named in {@code overrides} runs the override instead (it may throw),
     * every other call goes to the spool.
     *
     * @param spool the spool
     * @param overrides method name to what the call returns
     * @return the wrapped spool
     */
    public static RetrySpool spool(RetrySpool spool, Map<String, Supplier<?>> overrides) {
        return wrap(RetrySpool.class, spool, overrides);
    }

    /**
     * Wraps a meta store like {@link #spool}.
     *
     * @param store the store
     * @param overrides method name to what the call returns
     * @return the wrapped store
     */
    public static MetaStore metaStore(MetaStore store, Map<String, Supplier<?>> overrides) {
        return wrap(MetaStore.class, store, overrides);
    }

    private static <T> T wrap(Class<T> type, T target, Map<String, Supplier<?>> overrides) {
        InvocationHandler handler = (proxy, method, args) -> {
            Supplier<?> override = overrides.get(method.getName());
            if (override != null) {
                return override.get();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler));
    }
}
