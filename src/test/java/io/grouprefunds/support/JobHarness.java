package io.grouprefunds.support;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.grouprefunds.cli.Cli;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.SimulatedProvider;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Runs the real command line in this JVM against a fresh database and a sandbox over HTTP, and gives the tests the
 * ledger (by SQL) and the sandbox (the provider's side of the story). The job is pointed at the sandbox for every
 * provider, each seeded with its sample groups; {@link #run} sends to the harness's {@link ProviderFixture}.
 */
public final class JobHarness implements AutoCloseable {

	public final String databaseUrl = TestDatabases.newDatabase();

	public final SandboxServer sandbox;

	public final SandboxSettings sandboxSettings;

	public final ProviderFixture provider;

	public final Path workDir;

	public final JdbcTemplate ledger;

	private final List<String> settings = new ArrayList<>();

	public JobHarness(Path workDir, SandboxSettings sandboxSettings, ProviderFixture provider) {
		this.workDir = workDir;
		this.sandboxSettings = sandboxSettings;
		this.provider = provider;
		this.sandbox = SandboxServer.start(sandboxSettings);
		this.ledger = new JdbcTemplate(new DriverManagerDataSource(databaseUrl));
		settings.add("--spring.datasource.url=" + databaseUrl);
		settings.add("--refunds.reports.directory=" + workDir.resolve("reports"));
		settings.add("--refunds.log-file=" + logFile());
		for (ProviderFixture each : ProviderFixture.values()) {
			each.of(sandbox).loadGroups(each.sample().groups());
			sandbox.clientSettings(each.provider()).forEach((name, value) -> settings.add("--" + name + "=" + value));
		}
		// Unthrottled, fast backoffs and probes: tests that need a throttle or a slow provider say so.
		settings.add("--refunds.throttle.rate-per-second=0");
		settings.add("--refunds.throttle.quotas=");
		settings.add("--refunds.submit.initial-backoff=20ms");
		settings.add("--refunds.breaker.probe-interval=200ms");
	}

	public JobHarness(Path workDir, SandboxSettings sandboxSettings) {
		this(workDir, sandboxSettings, ProviderFixture.RAPYD);
	}

	/** Rapyd, the sandbox's defaults. */
	public static JobHarness withDefaults(Path workDir) {
		return new JobHarness(workDir, SandboxSettings.defaults());
	}

	public static JobHarness of(Path workDir, ProviderFixture provider) {
		return new JobHarness(workDir, SandboxSettings.defaults(), provider);
	}

	/** The harness's provider, as the sandbox saw it. */
	public SimulatedProvider simulated() {
		return provider.of(sandbox);
	}

	/** Replaces or adds a {@code --name=value} setting for the following commands. */
	public JobHarness set(String name, String value) {
		settings.removeIf(s -> s.startsWith("--" + name + "="));
		settings.add("--" + name + "=" + value);
		return this;
	}

	/** The {@code --name=value} settings every command gets, e.g. for a job in a process of its own. */
	public List<String> settings() {
		return List.copyOf(settings);
	}

	public Path logFile() {
		return workDir.resolve("group-refunds.log");
	}

	public Result cli(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		List<String> all = new ArrayList<>(Arrays.asList(args));
		all.addAll(settings);
		int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
		return new Result(code, out.toString(), err.toString());
	}

	/** {@code run FILE --provider P} for the harness's provider. */
	public Result run(Path file) {
		return cli("run", file.toString(), "--provider", provider.provider());
	}

	/** Writes a CSV into the work folder. */
	public Path csv(String name, String... lines) {
		try {
			return Files.writeString(workDir.resolve(name), String.join("\n", lines) + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Ledger rows by request id (rejected rows without one are keyed by line). */
	public Map<String, Map<String, Object>> rowsByRequest() {
		Map<String, Map<String, Object>> rows = new java.util.LinkedHashMap<>();
		for (Map<String, Object> row : ledger.queryForList("SELECT * FROM refund_row ORDER BY line_number")) {
			String key = row.get("status").equals("REJECTED") ? "line " + row.get("line_number")
					: (String) row.get("request_id");
			rows.put(key, row);
		}
		return rows;
	}

	public String readLog() {
		try {
			return Files.exists(logFile()) ? Files.readString(logFile()) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		sandbox.close();
	}

	/** A command's exit code and what it printed. */
	public record Result(int exitCode, String out, String err) {

		public String all() {
			return out + err;
		}

	}

}
