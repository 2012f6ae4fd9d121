package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.support.JobHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus ({@code src/test/resources/corpus}, outcomes in {@code expectations.txt}), every file run
 * through the real command line, in order, against one ledger and the sandbox: a refused file is refused with its
 * message and sends nothing; a rejected row is REJECTED with its line and reason, exactly those rows, and is never
 * sent; nothing prints a stack trace.
 */
class InputCorpusIT {

	private static final Path CORPUS = Path.of("src/test/resources/corpus");

	@TempDir
	static Path work;

	private static JobHarness harness;

	@BeforeAll
	static void startHarness() {
		harness = JobHarness.withDefaults(work);
		// An empty ledger, its schema in place (any command migrates it), so cases can compare batches before/after.
		assertThat(harness.cli("status").err()).contains("no batches yet");
	}

	@AfterAll
	static void stopHarness() {
		harness.close();
	}

	/** One run of one corpus file, and what must come of it. */
	record Case(String file, List<String> options, String outcome, List<Expected> expected) {

		@Override
		public String toString() {
			return file + (options.isEmpty() ? "" : " " + String.join(" ", options)) + " -> " + outcome;
		}

	}

	/** A message the run must give, for a row when {@code line} is set. */
	record Expected(Integer line, String message) {
	}

	static Stream<Case> cases() throws IOException {
		List<Case> cases = new ArrayList<>();
		for (String text : Files.readAllLines(CORPUS.resolve("expectations.txt"))) {
			if (text.isBlank() || text.startsWith("#")) {
				continue;
			}
			String[] parts = text.split("\\|", 5);
			String file = parts[0].strip();
			List<String> options = parts[1].isBlank() ? List.of() : Arrays.asList(parts[1].strip().split("\\s+"));
			String outcome = parts[2].strip();
			Expected expected = new Expected(parts[3].isBlank() ? null : Integer.valueOf(parts[3].strip()),
					parts[4].strip());
			Case last = cases.isEmpty() ? null : cases.get(cases.size() - 1);
			if (last != null && last.file().equals(file) && last.options().equals(options)
					&& last.outcome().equals(outcome) && outcome.equals("REJECTED")) {
				last.expected().add(expected);
			}
			else {
				cases.add(new Case(file, options, outcome, new ArrayList<>(List.of(expected))));
			}
		}
		assertThat(cases).as("the corpus holds at least 40 bad files and rows")
			.hasSizeGreaterThan(40);
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void everyBadInputGetsAClearAnswerAndNothingInvalidIsSent(Case c) {
		// given
		long batchesBefore = lastBatchId();
		int requestsBefore = harness.sandbox.rapyd().requestCount();
		List<String> args = new ArrayList<>(List.of("run", CORPUS.resolve(c.file()).toString(), "--provider", "rapyd"));
		args.addAll(c.options());

		// when
		Console console = new Console();
		JobHarness.Result result = console.capture(() -> harness.cli(args.toArray(String[]::new)));

		// then nothing printed a stack trace, on the command's output or the console log
		String printed = result.all() + console.text();
		assertThat(printed).as(printed).doesNotContain("\tat ").doesNotContain("Caused by").doesNotContain("Exception");
		Long batch = lastBatchId() > batchesBefore ? lastBatchId() : null;
		switch (c.outcome()) {
			case "REFUSED" -> assertRefused(c, result, batch, requestsBefore);
			case "ACCEPTED" -> assertRejectedRows(c, result, batch, Map.of());
			case "REJECTED" -> assertRejectedRows(c, result, batch, expectedRejections(c));
			default -> throw new IllegalArgumentException("unknown outcome " + c.outcome());
		}
		assertNoRejectedRowWasEverSent();
	}

	private static void assertRefused(Case c, JobHarness.Result result, Long batch, int requestsBefore) {
		assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.REFUSED.code());
		assertThat(result.err()).as(result.all()).contains(c.expected().get(0).message());
		assertThat(harness.sandbox.rapyd().requestCount()).as("requests sent").isEqualTo(requestsBefore);
		if (batch != null) {
			assertThat(harness.ledger.queryForObject("SELECT state FROM refund_batch WHERE batch_id = ?", String.class,
					batch)).isEqualTo("REFUSED");
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row WHERE batch_id = ? AND status "
					+ "<> 'REJECTED'", Integer.class, batch)).as("rows left sendable").isZero();
		}
	}

	private static void assertRejectedRows(Case c, JobHarness.Result result, Long batch,
			Map<Integer, List<String>> expected) {
		assertThat(result.exitCode()).as(result.all())
			.isIn(ExitCode.COMPLETED.code(), ExitCode.COMPLETED_WITH_REJECTIONS.code(),
					ExitCode.COMPLETED_UNSETTLED.code());
		assertThat(batch).as("a batch for " + c.file()).isNotNull();
		Map<Integer, String> rejected = new TreeMap<>();
		harness.ledger.query("SELECT line_number, rejection FROM refund_row WHERE batch_id = ? AND status = 'REJECTED'",
				rs -> {
					rejected.put(rs.getInt(1), rs.getString(2));
				}, batch);
		assertThat(rejected.keySet()).as("REJECTED lines of %s: %s", c.file(), rejected)
			.containsExactlyElementsOf(new TreeSet<>(expected.keySet()));
		expected.forEach((line, messages) -> assertThat(rejected.get(line)).as("line %d", line)
			.contains(messages));
		assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row WHERE batch_id = ? AND status = "
				+ "'REJECTED' AND (attempts > 0 OR sent_at IS NOT NULL)", Integer.class, batch)).isZero();
		Path rejectedFile = harness.workDir.resolve("reports/batch-" + batch + "-rejected.csv");
		if (expected.isEmpty()) {
			assertThat(rejectedFile).doesNotExist();
		}
		else {
			List<String> lines = readLines(rejectedFile);
			assertThat(lines.get(0)).startsWith("\uFEFFrejection,");
			assertThat(lines.subList(1, lines.size()).stream().filter(l -> l.startsWith("\"line ")).toList())
				.as(String.join("\n", lines))
				.hasSize(expected.size());
		}
	}

	/** Every refund the provider applied belongs to a row that was valid: nothing REJECTED ever reached it. */
	private static void assertNoRejectedRowWasEverSent() {
		List<String> validKeys = harness.ledger.queryForList(
				"SELECT idempotency_key FROM refund_row WHERE status <> 'REJECTED'", String.class);
		assertThat(harness.sandbox.rapyd().appliedRefunds()).extracting(AppliedRefund::idempotencyKey)
			.allMatch(validKeys::contains);
	}

	private static Map<Integer, List<String>> expectedRejections(Case c) {
		return c.expected()
			.stream()
			.collect(Collectors.groupingBy(Expected::line, TreeMap::new,
					Collectors.mapping(Expected::message, Collectors.toList())));
	}

	private static long lastBatchId() {
		return harness.ledger.queryForObject("SELECT COALESCE(MAX(batch_id), 0) FROM refund_batch", Long.class);
	}

	private static List<String> readLines(Path file) {
		try {
			return Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** What the console log printed while a command ran (the log pattern writes to System.out). */
	static final class Console {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		<T> T capture(java.util.function.Supplier<T> work) {
			PrintStream out = System.out;
			PrintStream err = System.err;
			PrintStream both = new PrintStream(new TeeStream(bytes, out), true, StandardCharsets.UTF_8);
			System.setOut(both);
			System.setErr(both);
			try {
				return work.get();
			}
			finally {
				System.setOut(out);
				System.setErr(err);
			}
		}

		String text() {
			return bytes.toString(StandardCharsets.UTF_8);
		}

	}

	/** Copies the console to a buffer and still shows it. */
	private static final class TeeStream extends java.io.OutputStream {

		private final java.io.OutputStream first;

		private final java.io.OutputStream second;

		TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
			this.first = first;
			this.second = second;
		}

		@Override
		public void write(int b) throws IOException {
			first.write(b);
			second.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			first.write(b, off, len);
			second.write(b, off, len);
		}

	}

}
