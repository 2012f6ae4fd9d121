package io.grouprefunds.throttle;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * Counts the database round trips of the shared throttle: every statement executed and every commit or rollback on a
 * connection of the wrapped data source (the driver sends nothing for {@code setAutoCommit(false)}: its {@code BEGIN}
 * travels with the first statement).
 */
final class RoundTrips {

	private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeBatch",
			"executeLargeUpdate", "executeLargeBatch");

	private final AtomicLong count = new AtomicLong();

	long count() {
		return count.get();
	}

	/** {@code dataSource}, its connections counted. */
	DataSource counting(DataSource dataSource) {
		return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
				forward(dataSource, (method, result) -> method.getName().startsWith("getConnection")
						? wrap(Connection.class, result, this::connectionCall) : result));
	}

	private Object connectionCall(Method method, Object result) {
		String name = method.getName();
		if (name.equals("commit") || name.equals("rollback")) {
			count.incrementAndGet();
		}
		return result instanceof Statement && (name.startsWith("prepare") || name.equals("createStatement"))
				? wrap(statementType(result), result, this::statementCall) : result;
	}

	private Object statementCall(Method method, Object result) {
		if (EXECUTE.contains(method.getName())) {
			count.incrementAndGet();
		}
		return result;
	}

	private static Class<?> statementType(Object statement) {
		for (Class<?> type : new Class<?>[] { java.sql.CallableStatement.class, java.sql.PreparedStatement.class }) {
			if (type.isInstance(statement)) {
				return type;
			}
		}
		return Statement.class;
	}

	private interface After {

		Object apply(Method method, Object result);

	}

	private Object wrap(Class<?> type, Object target, After after) {
		return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type }, forward(target, after));
	}

	private static InvocationHandler forward(Object target, After after) {
		return (proxy, method, args) -> {
			Object result;
			try {
				result = method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
			return after.apply(method, result);
		};
	}

}
