package io.grouprefunds.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL the job starts without a configured server (the demo, a trial): its commits wait for the
 * disk as a real server's do. zonky's default, for tests, does not; there a claim committed just before its refund
 * left could be lost with the server, and the refund sent again.
 */
class EmbeddedDatabaseDurabilityIT {

	@TempDir
	Path dir;

	@Test
	void commitsWaitForTheDisk() throws Exception {
		// given the embedded database as the job starts it
		try (EmbeddedPostgres postgres = new EmbeddedDatabaseConfiguration()
			.embeddedPostgres(new EmbeddedDatabaseProperties(dir.resolve("postgres")));
				Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW synchronous_commit")) {
			// when asked / then
			assertThat(result.next()).isTrue();
			assertThat(result.getString(1)).isEqualTo("on");
		}
	}

}
