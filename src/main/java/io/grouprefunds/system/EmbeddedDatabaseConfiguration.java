package io.grouprefunds.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no {@code spring.datasource.url}, starts a real PostgreSQL from the zonky binaries, its data kept under the
 * working folder so that a later run (a restart, a status) finds the same ledger. For trial use: production points
 * {@code spring.datasource.*} at a managed server.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDataSourceConfigured.class)
public class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(120);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
		Path dir = properties.directory();
		Files.createDirectories(dir);
		log.warn("No spring.datasource.url configured: starting an embedded PostgreSQL with its data in {}. "
				+ "This is for trial use only; point spring.datasource.* at a real server for production.",
				dir.toAbsolutePath());
		OrphanedPostmaster.clear(dir);
		// A server that was killed replays its WAL before it takes connections: give that time, not zonky's 10 s.
		// Commits wait for the disk, as on a real server (zonky's default is off, for tests): a claim committed
		// before its refund leaves must survive the server being killed with the job.
		return EmbeddedPostgres.builder()
			.setDataDirectory(dir)
			.setCleanDataDirectory(false)
			.setPGStartupWait(STARTUP_WAIT)
			.setServerConfig("synchronous_commit", "on")
			.start();
	}

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(EmbeddedPostgres postgres) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
		dataSource.setPoolName("embedded");
		return dataSource;
	}

	/** Matches when no datasource URL is set in any property source. */
	static class NoDataSourceConfigured implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !context.getEnvironment().containsProperty("spring.datasource.url");
		}

	}


}
