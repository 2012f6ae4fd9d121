package io.grouprefunds.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * One process at a time per input file: a PostgreSQL session advisory lock keyed by the file's SHA-256, held on a
 * connection of its own for as long as the command runs. PostgreSQL releases it when that session ends, so a
 * process killed with SIGKILL frees it too: holding the lock proves that no live process owns the batch.
 */
@Component
public class BatchLocks {

	private final DataSource dataSource;

	public BatchLocks(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** @return the held lock, or empty when another live session holds it */
	public Optional<Held> tryLock(String fileSha256) {
		long key = keyOf(fileSha256);
		Connection connection;
		try {
			connection = dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not reach the database to take the batch lock", ex);
		}
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
			statement.setLong(1, key);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				if (rs.getBoolean(1)) {
					return Optional.of(new Held(connection, key));
				}
			}
			connection.close();
			return Optional.empty();
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw new IllegalStateException("could not take the batch lock", ex);
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ignored) {
			// nothing more to do with a connection we are giving up
		}
	}

	static long keyOf(String sha256) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(("group-refunds/" + sha256).getBytes(StandardCharsets.UTF_8));
			long key = 0;
			for (int i = 0; i < 8; i++) {
				key = (key << 8) | (digest[i] & 0xff);
			}
			return key;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A held lock; closing it unlocks and returns the connection. */
	public static final class Held implements AutoCloseable {

		private final Connection connection;

		private final long key;

		Held(Connection connection, long key) {
			this.connection = connection;
			this.key = key;
		}

		@Override
		public void close() {
			try (connection; PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
				statement.setLong(1, key);
				statement.execute();
			}
			catch (SQLException ex) {
				// Closing the session releases the lock anyway.
			}
		}

	}

}
