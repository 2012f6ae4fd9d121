package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.ledger.LedgerEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/** The refund CSV as the ingest step reads it: header rules, encodings, quoting, line numbers and restart. */
class RefundCsvReaderTest {

	private static final String HEADER = "request_id,group_id,amount,currency,reason\n";

	@TempDir
	Path dir;

	private Path write(String content) throws IOException {
		return write(content.getBytes(StandardCharsets.UTF_8));
	}

	private Path write(byte[] content) throws IOException {
		Path file = dir.resolve("refunds-" + System.nanoTime() + ".csv");
		Files.write(file, content);
		return file;
	}

	private static List<CsvRecord> readAll(Path file) {
		RefundCsvReader reader = new RefundCsvReader(file);
		reader.open(new ExecutionContext());
		try {
			List<CsvRecord> records = new ArrayList<>();
			for (CsvRecord record = reader.read(); record != null; record = reader.read()) {
				records.add(record);
			}
			return records;
		}
		finally {
			reader.close();
		}
	}

	/** The records without their fields as written, to compare with records built from values. */
	private static List<CsvRecord> values(List<CsvRecord> records) {
		return records.stream()
			.map(r -> new CsvRecord(r.lineNumber(), r.requestId(), r.groupId(), r.amount(), r.currency(), r.reason(),
					r.shapeProblem()))
			.toList();
	}

	private static FileRefusedException refusal(Path file) {
		Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> readAll(file));
		assertThat(thrown).isInstanceOf(FileRefusedException.class);
		return (FileRefusedException) thrown;
	}

	@Test
	void readsRowsWithTheirLineNumbers() throws IOException {
		// given
		Path file = write(HEADER + "r1,gp_a,42.6,USD,late\nr2,gp_b,,USD,\n");

		// when
		List<CsvRecord> records = readAll(file);

		// then
		assertThat(values(records)).containsExactly(new CsvRecord(2, "r1", "gp_a", "42.6", "USD", "late", null),
				new CsvRecord(3, "r2", "gp_b", "", "USD", "", null));
	}

	@Test
	void rowsOfTheFiveColumnsWithAllTheirFieldsCanBeRebuiltFromTheirValuesOthersCannot() throws IOException {
		// given a file of the five columns with a short row, and a rejected-rows file (its rejection column is not
		// a value)
		Path plain = write(" Reason ,currency,amount,request_id,group_id\nwhy,USD,1,r1,gp_a\nwhy,USD,1\n");
		Path rerun = write("rejection,request_id,group_id,amount,currency\nline 2: bad,r1,gp_a,1,USD\n");

		// when
		List<CsvRecord> records = readAll(plain);
		CsvRecord again = readAll(rerun).get(0);

		// then only the whole row of the five columns is rebuilt from its values, exactly as written
		assertThat(records).extracting(CsvRecord::fieldsFromValues).containsExactly(true, false);
		CsvRecord whole = records.get(0);
		assertThat(LedgerEntry.fieldsFromValues(List.of(" Reason ", "currency", "amount", "request_id", "group_id"),
				whole.requestId(), whole.groupId(), whole.amount(), whole.currency(), whole.reason()))
			.isEqualTo(whole.fields());
		assertThat(again.fieldsFromValues()).isFalse();
	}

	@Test
	void columnsMayComeInAnyOrderAndAnyCase() throws IOException {
		// given
		Path file = write("Currency, AMOUNT ,reason,group_id,request_id\nEUR,10,why,gp_x,r1\n");

		// when
		List<CsvRecord> records = readAll(file);

		// then
		assertThat(values(records)).containsExactly(new CsvRecord(2, "r1", "gp_x", "10", "EUR", "why", null));
	}

	@Test
	void theReasonColumnIsOptional() throws IOException {
		// given
		Path file = write("request_id,group_id,amount,currency\nr1,gp_x,10,USD\n");

		// when
		List<CsvRecord> records = readAll(file);

		// then
		assertThat(values(records)).containsExactly(new CsvRecord(2, "r1", "gp_x", "10", "USD", null, null));
	}

	@Test
	void aUtf8ByteOrderMarkIsTolerated() throws IOException {
		// given a file saved by a spreadsheet, with a BOM before the header
		byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
		byte[] text = (HEADER + "r1,gp_x,10,USD,é\n").getBytes(StandardCharsets.UTF_8);
		byte[] content = new byte[bom.length + text.length];
		System.arraycopy(bom, 0, content, 0, bom.length);
		System.arraycopy(text, 0, content, bom.length, text.length);

		// when
		List<CsvRecord> records = readAll(write(content));

		// then
		assertThat(values(records)).containsExactly(new CsvRecord(2, "r1", "gp_x", "10", "USD", "é", null));
	}

	@Test
	void crlfLineEndingsAndTrailingBlankLinesAreAccepted() throws IOException {
		// given
		Path file = write("request_id,group_id,amount,currency,reason\r\nr1,gp_a,1,USD,x\r\nr2,gp_b,2,USD,y\r\n\r\n\r\n");

		// when
		List<CsvRecord> records = readAll(file);

		// then
		assertThat(values(records)).containsExactly(new CsvRecord(2, "r1", "gp_a", "1", "USD", "x", null),
				new CsvRecord(3, "r2", "gp_b", "2", "USD", "y", null));
	}

	@Test
	void aFileWithoutFinalNewlineIsRead() throws IOException {
		// given
		Path file = write(HEADER + "r1,gp_a,1,USD,x");

		// when / then
		assertThat(readAll(file)).extracting(CsvRecord::requestId).containsExactly("r1");
	}

	@Test
	void quotedFieldsMayHoldCommasQuotesAndLineBreaksAndLineNumbersAreWhereTheRecordStarts() throws IOException {
		// given
		Path file = write(HEADER + "r1,gp_a,1,USD,\"first, second\"\n" + "r2,gp_b,2,USD,\"line one\nline two\nline three\"\n"
				+ "r3,gp_c,3,USD,\"say \"\"hi\"\"\"\n" + "r4,gp_d,4,USD,\"a\r\nb\"\r\n" + "r5,gp_e,5,USD,plain\n");

		// when
		List<CsvRecord> records = readAll(file);

		// then
		assertThat(records).extracting(CsvRecord::lineNumber).containsExactly(2, 3, 6, 7, 9);
		assertThat(records).extracting(CsvRecord::reason)
			.containsExactly("first, second", "line one\nline two\nline three", "say \"hi\"", "a\nb", "plain");
		assertThat(records).extracting(CsvRecord::shapeProblem).containsOnlyNulls();
	}

	@Test
	void rowsWithTooFewOrTooManyFieldsCarryAShapeProblem() throws IOException {
		// given
		Path file = write(HEADER + "r1,gp_a,1\nr2,gp_b,2,USD,x,extra\nr3,gp_c,3,USD,ok\n");

		// when
		List<CsvRecord> records = readAll(file);

		// then
		assertThat(records).hasSize(3);
		assertThat(records.get(0).shapeProblem()).isEqualTo("the row has 3 fields where the header has 5");
		assertThat(records.get(0).currency()).isEmpty();
		assertThat(records.get(1).shapeProblem()).isEqualTo("the row has 6 fields where the header has 5");
		assertThat(records.get(2).shapeProblem()).isNull();
	}

	@Test
	void aByteThatIsNotUtf8RefusesTheFile() throws IOException {
		// given Latin-1 text: é is the single byte 0xE9
		Path file = write((HEADER + "r1,gp_a,1,USD,caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));

		// when
		FileRefusedException refused = refusal(file);

		// then
		assertThat(refused).hasMessageContaining("UTF-8");
	}

	@Test
	void aByteThatIsNotUtf8FarIntoTheFileRefusesItToo() throws IOException {
		// given a bad byte after well over one read buffer of good rows
		StringBuilder text = new StringBuilder(HEADER);
		for (int i = 0; i < 2000; i++) {
			text.append("r").append(i).append(",gp_a,1,USD,fine\n");
		}
		byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
		byte[] bad = "r-last,gp_a,1,USD,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
		byte[] content = new byte[good.length + bad.length];
		System.arraycopy(good, 0, content, 0, good.length);
		System.arraycopy(bad, 0, content, good.length, bad.length);

		// when
		FileRefusedException refused = refusal(write(content));

		// then
		assertThat(refused).hasMessageContaining("UTF-8");
	}

	@Test
	void aMissingColumnRefusesTheFile() throws IOException {
		// given
		Path file = write("request_id,group_id,amount\nr1,gp_a,1\n");

		// when / then
		assertThat(refusal(file)).hasMessageContaining("missing column").hasMessageContaining("currency");
	}

	@Test
	void anUnknownColumnRefusesTheFile() throws IOException {
		// given
		Path file = write("request_id,group_id,amount,currency,note\nr1,gp_a,1,USD,x\n");

		// when / then
		assertThat(refusal(file)).hasMessageContaining("unknown column").hasMessageContaining("note");
	}

	@Test
	void aTrailingCommaOnTheHeaderIsExplainedReadably() throws IOException {
		// given
		Path file = write("request_id,group_id,amount,currency,\nr1,gp_a,1,USD,\n");

		// when
		String message = refusal(file).getMessage();

		// then the message says which column is unnamed
		assertThat(message).containsAnyOf("empty", "''", "no name", "blank", "column 5");
	}

	@Test
	void aDuplicatedColumnRefusesTheFile() throws IOException {
		// given
		Path file = write("request_id,group_id,amount,currency,amount\nr1,gp_a,1,USD,2\n");

		// when / then
		assertThat(refusal(file)).hasMessageContaining("'amount' appears twice");
	}

	@Test
	void aSemicolonSeparatedFileIsRefusedWithAHint() throws IOException {
		// given
		Path file = write("request_id;group_id;amount;currency\nr1;gp_a;1;USD\n");

		// when / then
		assertThat(refusal(file)).hasMessageContaining("';' as separator").hasMessageContaining("comma");
	}

	@Test
	void anEmptyFileIsRefused() throws IOException {
		// given
		Path empty = write("");
		Path blankLine = write("\n");

		// when / then
		assertThat(refusal(empty)).hasMessageContaining("empty");
		assertThat(refusal(blankLine)).hasMessageContaining("empty");
	}

	@Test
	void aHeaderOnlyFileIsRefusedBeforeAnyRowIsRead() throws IOException {
		// given
		Path file = write(HEADER + "\n,,,,\n");

		// when / then
		assertThat(refusal(file)).hasMessage("the file has a header but no data rows");
	}

	@Test
	void eachRecordCarriesItsFieldsAsWrittenInTheFilesColumnOrder() throws IOException {
		// given columns in the operator's own order, a quoted field and a short row
		Path file = write("Currency, AMOUNT ,reason,group_id,request_id\nEUR,10,\"a, b\",gp_x,r1\nUSD,5\n");

		// when
		List<CsvRecord> records = readAll(file);

		// then
		assertThat(records).extracting(CsvRecord::fields)
			.containsExactly(List.of("EUR", "10", "a, b", "gp_x", "r1"), List.of("USD", "5"));
	}

	@Test
	void rowsOfEmptyFieldsAsSpreadsheetsExportThemAreNotRows() throws IOException {
		// given blank lines and rows of commas between and after the data
		Path file = write(HEADER + "r1,gp_a,1,USD,x\n,,,,\n\n  \nr2,gp_b,2,USD,y\n,,,,\n");

		// when
		List<CsvRecord> records = readAll(file);

		// then
		assertThat(records).extracting(CsvRecord::requestId).containsExactly("r1", "r2");
		assertThat(records).extracting(CsvRecord::lineNumber).containsExactly(2, 6);
	}

	@Test
	void aRejectionColumnIsIgnoredSoTheRejectedRowsFileCanBeRunAgain() throws IOException {
		// given the rejected-rows report, fixed by the operator
		Path file = write("rejection,request_id,group_id,amount,currency,reason\n"
				+ "\"line 3: amount '1,5' uses a decimal comma\",r1,gp_a,1.5,USD,x\n");

		// when
		List<CsvRecord> records = readAll(file);

		// then the rejection is not a field of the refund
		assertThat(values(records)).containsExactly(new CsvRecord(2, "r1", "gp_a", "1.5", "USD", "x", null));
	}

	@Test
	void aRowSeparatedBySemicolonsInACommaFileIsToldSo() throws IOException {
		// given
		Path file = write(HEADER + "r1;gp_a;1;USD;x\n");

		// when
		CsvRecord record = readAll(file).get(0);

		// then
		assertThat(record.shapeProblem()).isEqualTo("the row has 1 fields where the header has 5 (it seems to use "
				+ "';' as separator; it must be a comma)");
	}

	@Test
	void aFileThatChangedSinceTheBatchStartedIsRefused() throws IOException {
		// given the SHA-256 of another content
		Path file = write(HEADER + "r1,gp_a,1,USD,x\n");
		RefundCsvReader reader = new RefundCsvReader(file, IngestProperties.defaults(), "0".repeat(64), h -> {
		});

		// when
		Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> reader.open(new ExecutionContext()));

		// then
		assertThat(thrown).isInstanceOf(FileRefusedException.class).hasMessageContaining("changed after this batch "
				+ "started");
	}

	@Test
	void theHeaderAsWrittenIsHandedOverOnceTheFilePassedTheGate() throws IOException {
		// given
		Path file = write("Request_ID, group_id ,amount,currency\nr1,gp_a,1,USD\n");
		List<List<String>> headers = new ArrayList<>();
		RefundCsvReader reader = new RefundCsvReader(file, IngestProperties.defaults(), null, headers::add);

		// when
		reader.open(new ExecutionContext());
		reader.close();

		// then
		assertThat(headers).containsExactly(List.of("Request_ID", " group_id ", "amount", "currency"));
	}

	@Test
	void aRestartContinuesAtTheNextRecordWithCorrectLineNumbers() throws IOException {
		// given a file whose second record spans three lines
		Path file = write(HEADER + "r1,gp_a,1,USD,x\n" + "r2,gp_b,2,USD,\"multi\nline\nreason\"\n" + "r3,gp_c,3,USD,y\n"
				+ "r4,gp_d,4,USD,z\n" + "r5,gp_e,5,USD,\"two\nlines\"\n" + "r6,gp_f,6,USD,w\n");
		ExecutionContext context = new ExecutionContext();
		RefundCsvReader first = new RefundCsvReader(file);
		first.open(context);
		List<CsvRecord> before = List.of(first.read(), first.read(), first.read());
		first.update(context);
		first.close();

		// when a new reader opens with the saved context
		RefundCsvReader second = new RefundCsvReader(file);
		second.open(context);
		List<CsvRecord> after = new ArrayList<>();
		for (CsvRecord record = second.read(); record != null; record = second.read()) {
			after.add(record);
		}
		second.close();

		// then it continues at record 4, at the right physical lines
		assertThat(before).extracting(CsvRecord::requestId).containsExactly("r1", "r2", "r3");
		assertThat(before).extracting(CsvRecord::lineNumber).containsExactly(2, 3, 6);
		assertThat(after).extracting(CsvRecord::requestId).containsExactly("r4", "r5", "r6");
		assertThat(after).extracting(CsvRecord::lineNumber).containsExactly(7, 8, 10);
		assertThat(after.get(1).reason()).isEqualTo("two\nlines");
	}

	@Test
	void aRestartAtTheEndReadsNothingMore() throws IOException {
		// given
		Path file = write(HEADER + "r1,gp_a,1,USD,x\nr2,gp_b,2,USD,y\n");
		ExecutionContext context = new ExecutionContext();
		RefundCsvReader first = new RefundCsvReader(file);
		first.open(context);
		first.read();
		first.read();
		assertThat(first.read()).isNull();
		first.update(context);
		first.close();

		// when
		RefundCsvReader second = new RefundCsvReader(file);
		second.open(context);
		CsvRecord next = second.read();
		second.close();

		// then
		assertThat(next).isNull();
	}

	@Test
	void afterThisProcesssInspectionTheReaderReadsTheRowsAndHandsOverTheHeader() throws IOException {
		// given a file this process inspected (that it is then read once only: InputFileReadsIT)
		Path file = write(HEADER + "r1,gp_a,1,USD,x\nr2,gp_b,2,USD,y\n");
		FileInspection.Inspection inspection = FileInspection.examine(file, IngestProperties.defaults(), row -> {
		});
		List<List<String>> headers = new ArrayList<>();
		RefundCsvReader reader = RefundCsvReader.afterInspection(file, IngestProperties.defaults(), inspection,
				headers::add);

		// when
		reader.open(new ExecutionContext());
		List<CsvRecord> records = new ArrayList<>();
		for (CsvRecord record = reader.read(); record != null; record = reader.read()) {
			records.add(record);
		}
		reader.close();

		// then
		assertThat(records).extracting(CsvRecord::requestId).containsExactly("r1", "r2");
		assertThat(headers).hasSize(1);
	}

	@Test
	void aFileThatChangedBetweenItsInspectionAndItsReadingIsRefusedAtItsEnd() throws IOException {
		// given a file inspected, then edited (same header, a different amount)
		Path file = write(HEADER + "r1,gp_a,1,USD,x\nr2,gp_b,2,USD,y\n");
		FileInspection.Inspection inspection = FileInspection.examine(file, IngestProperties.defaults(), row -> {
		});
		Files.writeString(file, HEADER + "r1,gp_a,1,USD,x\nr2,gp_b,200,USD,y\n");
		RefundCsvReader reader = RefundCsvReader.afterInspection(file, IngestProperties.defaults(), inspection,
				h -> {
				});
		reader.open(new ExecutionContext());

		// when
		Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> {
			while (reader.read() != null) {
				// the rows are read; the end of the file tells
			}
		});
		reader.close();

		// then: refused before the gate, so nothing of it is sent
		assertThat(thrown).isInstanceOf(FileRefusedException.class).hasMessageContaining("changed after this batch "
				+ "started");
	}

	@Test
	void afterARefusingInspectionTheReaderRefusesWithItsReasonAndReadsNothing() throws IOException {
		// given
		Path file = write("request_id,group_id,amount\nr1,gp_a,1\n");
		FileInspection.Inspection inspection = FileInspection.examine(file, IngestProperties.defaults(), row -> {
		});
		RefundCsvReader reader = RefundCsvReader.afterInspection(file, IngestProperties.defaults(), inspection,
				h -> {
				});

		// when
		Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> reader.open(new ExecutionContext()));

		// then
		assertThat(thrown).isSameAs(inspection.refusal()).hasMessageContaining("missing column(s) currency");
	}

}
