package io.retryspool.boot.autoconfigure;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/** Virtual-thread factories without compiling against Java 21 (the build targets Java 17). */
final class VirtualThreads {

    private VirtualThreads() {
    }

    /**
     * Returns a factory of virtual threads named prefix + counter.
     *
     * @throws IllegalStateException on a Java without virtual threads
     */
    static ThreadFactory factory(String prefix) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Method name = ofVirtual.getMethod("name", String.class, long.class);
            builder = name.invoke(builder, prefix, 1L);
            return (ThreadFactory) ofVirtual.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("spring.threads.virtual.enabled=true needs Java 21 or newer for RetrySpool's "
                    + "virtual worker threads", e);
        }
    }
}
