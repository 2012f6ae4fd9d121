import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.postgresql.PGConnection;

/**
 * The benchmark's COPY reference on the job's own PostgreSQL server. {@code copy URL CSV}: COPY of the refund CSV
 * into a fresh table of its five text columns (no index, no constraint), the fastest a server takes the file.
 * {@code floor URL FILE_PATH}: the ledger's own write cost, without the job: the rows the job ingested from that
 * file, inserted again by one INSERT ... SELECT into a scratch copy of refund_row with its indexes and constraints
 * (the ledger has no foreign key to refund_batch since V11: its check is once per chunk, in the job). Each prints {@code rows=N seconds=S}; the scratch tables are dropped.
 * Run with the PostgreSQL driver on the class path.
 */
public class CopyRate {

	public static void main(String[] args) throws Exception {
		try (Connection connection = DriverManager.getConnection(args[1])) {
			String table = "bench_copy_" + ProcessHandle.current().pid();
			if (args[0].equals("copy")) {
				copy(connection, table, Path.of(args[2]));
			}
			else {
				floor(connection, table, args[2]);
			}
		}
	}

	private static void copy(Connection connection, String table, Path csv) throws Exception {
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE " + table + " (request_id text, group_id text, amount text, currency text, "
					+ "reason text)");
			try {
				long started = System.nanoTime();
				long rows;
				try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
					rows = connection.unwrap(PGConnection.class).getCopyAPI()
						.copyIn("COPY " + table + " FROM STDIN (FORMAT csv, HEADER true)", reader);
				}
				System.out.printf("rows=%d seconds=%.3f%n", rows, (System.nanoTime() - started) / 1e9);
			}
			finally {
				statement.execute("DROP TABLE " + table);
			}
		}
	}

	private static void floor(Connection connection, String table, String filePath) throws Exception {
		long batchId;
		try (PreparedStatement query = connection.prepareStatement("SELECT max(batch_id) FROM refund_batch "
				+ "WHERE file_path = ?")) {
			query.setString(1, filePath);
			try (ResultSet rs = query.executeQuery()) {
				rs.next();
				batchId = rs.getLong(1);
			}
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE " + table + " (LIKE refund_row INCLUDING ALL)");
			try {
				long started = System.nanoTime();
				int rows = statement.executeUpdate("INSERT INTO " + table + " SELECT * FROM refund_row WHERE batch_id = "
						+ batchId);
				System.out.printf("rows=%d seconds=%.3f%n", rows, (System.nanoTime() - started) / 1e9);
			}
			finally {
				statement.execute("DROP TABLE " + table);
			}
		}
	}

}
