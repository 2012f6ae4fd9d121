package io.grouprefunds.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Brings the ledger's schema up to date (Flyway, {@code classpath:db/migration}) as soon as the DataSource exists, so
 * whatever uses it (Spring Batch's repository, the ledger) finds its tables; Flyway runs only when the schema is
 * behind.
 *
 * <p>Why not Boot's Flyway integration: it builds and runs Flyway on every command, about 0.7 s of wall time and
 * 1.5 s of CPU of each {@code status} on the benchmark machine, to find every time that there is nothing to do. Here
 * one query answers that: every migration file's version is in {@code flyway_schema_history}, none failed. Otherwise
 * (a new database, a new migration, a failed one) Flyway migrates as before, validating what was applied.
 */
@Configuration(proxyBeanMethods = false)
class SchemaMigration {

	static final String LOCATION = "classpath:db/migration";

	private static final Logger log = LoggerFactory.getLogger(SchemaMigration.class);

	private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.*\\.sql");

	@Bean
	static BeanPostProcessor schemaMigrator() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DataSource dataSource) {
					migrateIfBehind(dataSource);
				}
				return bean;
			}
		};
	}

	static void migrateIfBehind(DataSource dataSource) {
		Set<String> files = migrationVersions();
		if (!files.isEmpty() && applied(dataSource).containsAll(files)) {
			log.debug("schema current (migrations {} applied): Flyway not run", files);
			return;
		}
		Flyway.configure().dataSource(dataSource).locations(LOCATION).load().migrate();
	}

	/** The versions of the migration files shipped, normalised ({@code 1.1}, not {@code 1_1} or {@code 01.1}). */
	static Set<String> migrationVersions() {
		Set<String> versions = new HashSet<>();
		try {
			for (Resource resource : new PathMatchingResourcePatternResolver()
				.getResources("classpath*:db/migration/V*__*.sql")) {
				Matcher matcher = VERSIONED.matcher(String.valueOf(resource.getFilename()));
				if (matcher.matches()) {
					versions.add(normalise(matcher.group(1)));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list the schema migrations", ex);
		}
		return versions;
	}

	/**
	 * The versions applied successfully, or none (so Flyway runs and says what is wrong) when a migration failed or
	 * the history cannot be read (a new database has none).
	 */
	private static Set<String> applied(DataSource dataSource) {
		Set<String> versions = new HashSet<>();
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			try (ResultSet exists = statement.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
				if (!exists.next() || !exists.getBoolean(1)) {
					return Set.of();
				}
			}
			try (ResultSet rows = statement.executeQuery("SELECT version, success FROM flyway_schema_history "
					+ "WHERE version IS NOT NULL")) {
				while (rows.next()) {
					if (!rows.getBoolean(2)) {
						return Set.of();
					}
					versions.add(normalise(rows.getString(1)));
				}
			}
		}
		catch (SQLException ex) {
			log.debug("cannot read the schema history ({}): running Flyway", ex.getMessage());
			return Set.of();
		}
		return versions;
	}

	private static String normalise(String version) {
		StringBuilder out = new StringBuilder();
		for (String part : version.split("[._]")) {
			out.append(out.isEmpty() ? "" : ".").append(part.replaceFirst("^0+(?=[0-9])", ""));
		}
		return out.toString();
	}

}
