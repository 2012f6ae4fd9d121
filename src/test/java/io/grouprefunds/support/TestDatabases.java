package io.grouprefunds.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A fresh, empty PostgreSQL database per test: on the server named by {@code REFUNDS_TEST_DATABASE_URL} (CI points
 * it at the machine's PostgreSQL), else on an embedded PostgreSQL started once per test JVM, so the tests pass on a
 * machine with only a JDK.
 */
public final class TestDatabases {

	/** e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres} */
	public static final String SERVER_URL_VARIABLE = "REFUNDS_TEST_DATABASE_URL";

	private static EmbeddedPostgres embedded;

	private static final List<String> created = new ArrayList<>();

	private TestDatabases() {
	}

	/** Creates a database and returns its JDBC URL (user and password included, as the server needs). */
	public static synchronized String newDatabase() {
		String admin = adminUrl();
		String name = "gr_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		try (Connection connection = DriverManager.getConnection(admin);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot create a test database on " + admin, ex);
		}
		if (created.isEmpty()) {
			Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropCreated));
		}
		created.add(name);
		return admin.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
	}

	/** Where the tests' databases live, for the test report. */
	public static synchronized String describe() {
		return System.getenv(SERVER_URL_VARIABLE) != null ? "PostgreSQL server (" + SERVER_URL_VARIABLE + ")"
				: "embedded PostgreSQL";
	}

	private static synchronized String adminUrl() {
		String server = System.getenv(SERVER_URL_VARIABLE);
		if (server != null && !server.isBlank()) {
			return server;
		}
		if (embedded == null) {
			try {
				embedded = EmbeddedPostgres.builder().start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot start the embedded PostgreSQL", ex);
			}
		}
		return embedded.getJdbcUrl("postgres", "postgres");
	}

	private static synchronized void dropCreated() {
		if (System.getenv(SERVER_URL_VARIABLE) == null) {
			return; // the embedded server's temporary data goes with it
		}
		try (Connection connection = DriverManager.getConnection(adminUrl());
				Statement statement = connection.createStatement()) {
			for (String name : created) {
				statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			}
		}
		catch (SQLException ex) {
			// best effort: a leftover test database harms nothing
		}
	}

}
