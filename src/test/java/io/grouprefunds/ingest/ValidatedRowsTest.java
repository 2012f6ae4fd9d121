package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.LedgerEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The ingest reader that reads and validates ahead on a thread of its own: the rows and their order are the CSV
 * reader's and the validator's, the restart position is what the step took (never what the thread read ahead), and
 * a failure reaches the step after every row before it.
 */
class ValidatedRowsTest {

	private static final String HEADER = "request_id,group_id,amount,currency,reason\n";

	@TempDir
	Path dir;

	private Path write(String content) throws IOException {
		Path file = dir.resolve("refunds-" + System.nanoTime() + ".csv");
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return file;
	}

	private static String rows(int from, int to) {
		StringBuilder out = new StringBuilder();
		for (int i = from; i <= to; i++) {
			out.append(String.format("r-%04d,gp_%032x,%d.00,USD,\"reason%nof %d\"%n", i, i, i, i));
		}
		return out.toString();
	}

	private static ValidatedRows reader(Path file, String sha256) {
		return new ValidatedRows(new RefundCsvReader(file, IngestProperties.defaults(), sha256, header -> {
		}), new RefundRowValidator("rapyd", GeneratedRows.RAPYD), 10);
	}

	private static List<LedgerEntry> take(ValidatedRows reader, int most) {
		List<LedgerEntry> taken = new ArrayList<>();
		for (int i = 0; i < most; i++) {
			LedgerEntry entry = reader.read();
			if (entry == null) {
				break;
			}
			taken.add(entry);
		}
		return taken;
	}

	@Test
	void givesEveryRowValidatedInFileOrderWithItsLineAndBlankLinesSkipped() throws IOException {
		// given 1,000 rows (more than the thread may read ahead), two-line reasons, a blank line and an invalid row
		Path file = write(HEADER + rows(1, 500) + "\n" + "bad id,gp_1,1,USD,x\n" + rows(501, 1000));
		ValidatedRows reader = reader(file, null);
		reader.open(new ExecutionContext());

		// when every row is read
		List<LedgerEntry> all = take(reader, 2000);
		reader.close();

		// then each row is there once, in order, at the line it starts on, with the validator's verdict
		assertThat(all).hasSize(1001);
		assertThat(all.get(0).lineNumber()).isEqualTo(2);
		assertThat(all.get(499).lineNumber()).isEqualTo(2 + 2 * 499);
		assertThat(all.get(500).lineNumber()).isEqualTo(2 + 2 * 500 + 1);
		assertThat(all.get(500).status()).isEqualTo(RowStatus.REJECTED);
		assertThat(all.get(500).rejection()).contains("request_id 'bad id'");
		assertThat(all.get(1000).requestId()).isEqualTo("r-1000");
		assertThat(all.stream().filter(e -> e.status() == RowStatus.READY)).hasSize(1000);
	}

	@Test
	void aRestartResumesAfterTheRowsTheStepTookNotAfterWhatTheThreadReadAhead() throws IOException {
		// given a reader whose step took 300 rows (the thread has read further by then) and saved its position
		Path file = write(HEADER + rows(1, 700));
		ExecutionContext context = new ExecutionContext();
		ValidatedRows first = reader(file, null);
		first.open(context);
		List<LedgerEntry> before = take(first, 300);
		first.update(context);
		first.close();

		// when a new reader opens with the saved position
		ValidatedRows second = reader(file, null);
		second.open(context);
		List<LedgerEntry> after = take(second, 1000);
		second.close();

		// then it gives exactly the rows after those, at their lines
		assertThat(before).extracting(LedgerEntry::requestId).endsWith("r-0300");
		assertThat(after).hasSize(400);
		assertThat(after.get(0).requestId()).isEqualTo("r-0301");
		assertThat(after.get(0).lineNumber()).isEqualTo(2 + 2 * 300);
	}

	@Test
	void aFailureOnTheThreadReachesTheStepAfterEveryRowBeforeIt() throws IOException {
		// given a file whose row 600 fails (as a file refused while read would: FileRefusedException)
		Path file = write(HEADER + rows(1, 1000));
		RefundRowValidator failing = new RefundRowValidator("rapyd", GeneratedRows.RAPYD) {
			@Override
			public LedgerEntry process(CsvRecord row) {
				if (row.requestId().equals("r-0600")) {
					throw new FileRefusedException("line " + row.lineNumber() + ": refused");
				}
				return super.process(row);
			}
		};
		ValidatedRows reader = new ValidatedRows(new RefundCsvReader(file), failing, 10);
		reader.open(new ExecutionContext());

		// when the step reads on
		List<LedgerEntry> taken = new ArrayList<>();
		Throwable thrown = catchThrowable(() -> {
			for (LedgerEntry entry = reader.read(); entry != null; entry = reader.read()) {
				taken.add(entry);
			}
		});
		ExecutionContext position = new ExecutionContext();
		reader.update(position);
		reader.close();

		// then it got the 599 rows before it, then that very failure, and its position is after row 599
		assertThat(taken).hasSize(599);
		assertThat(taken.get(598).requestId()).isEqualTo("r-0599");
		assertThat(thrown).isInstanceOf(FileRefusedException.class).hasMessage("line 1200: refused");
		assertThat(position.getLong(RefundCsvReader.RECORDS_READ)).isEqualTo(599);
	}

	@Test
	void closingBeforeTheEndStopsTheThreadAndTheFile() throws IOException {
		// given a reader that has handed over a few rows of many
		Path file = write(HEADER + rows(1, 2000));
		ValidatedRows reader = reader(file, null);
		reader.open(new ExecutionContext());
		take(reader, 5);

		// when the step closes it (a failed chunk, a stop)
		reader.close();

		// then no thread of it is left reading
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("ingest-read-ahead"));
	}

}
