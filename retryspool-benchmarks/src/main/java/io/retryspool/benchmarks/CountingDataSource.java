package io.retryspool.benchmarks;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wraps a DataSource in {@link Proxy proxies} that count what goes to the database: every {@code execute*} call
 * on a Statement, PreparedStatement or CallableStatement (a batch counts once), and every commit. Everything else,
 * {@code unwrap} included, passes straight through, so the code under measurement behaves as without it.
 */
final class CountingDataSource {

    private final DataSource target;
    private final DataSource proxy;
    private final LongAdder executions = new LongAdder();
    private final LongAdder commits = new LongAdder();

    CountingDataSource(DataSource target) {
        this.target = target;
        this.proxy = proxy(DataSource.class, target, this::dataSourceCall);
    }

    /** The counting DataSource to hand to the code under measurement. */
    DataSource dataSource() {
        return proxy;
    }

    /** Statement executions since creation or the last {@link #reset()}. */
    long executions() {
        return executions.sum();
    }

    /** Commits since creation or the last {@link #reset()}. */
    long commits() {
        return commits.sum();
    }

    /** Starts counting from zero. */
    void reset() {
        executions.reset();
        commits.reset();
    }

    private Object dataSourceCall(Object real, Method method, Object[] args) throws Throwable {
        Object result = invoke(real, method, args);
        if (result instanceof Connection connection && method.getName().equals("getConnection")) {
            return proxy(Connection.class, connection, this::connectionCall);
        }
        return result;
    }

    private Object connectionCall(Object real, Method method, Object[] args) throws Throwable {
        Object result = invoke(real, method, args);
        String name = method.getName();
        if (name.equals("commit")) {
            commits.increment();
        }
        if (result instanceof CallableStatement statement && name.equals("prepareCall")) {
            return proxy(CallableStatement.class, statement, this::statementCall);
        }
        if (result instanceof PreparedStatement statement && name.equals("prepareStatement")) {
            return proxy(PreparedStatement.class, statement, this::statementCall);
        }
        if (result instanceof Statement statement && name.equals("createStatement")) {
            return proxy(Statement.class, statement, this::statementCall);
        }
        return result;
    }

    private Object statementCall(Object real, Method method, Object[] args) throws Throwable {
        if (method.getName().startsWith("execute")) {
            executions.increment();
        }
        return invoke(real, method, args);
    }

    private static Object invoke(Object real, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    private interface Call {
        Object invoke(Object real, Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T real, Call call) {
        InvocationHandler handler = (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    case "toString" -> "Counting(" + real + ")";
                    default -> invoke(real, method, args);
                };
            }
            return call.invoke(real, method, args);
        };
        return type.cast(Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    @Override
    public String toString() {
        return "CountingDataSource(" + target + ")";
    }
}
