package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file gate's first look: every structural problem refused with its line, sound files measured. */
class FileInspectionTest {

	private static final String HEADER = "request_id,group_id,amount,currency,reason\n";

	private static final String ROW = "r1,gp_a,1,USD,x\n";

	@TempDir
	Path dir;

	private Path write(byte[] content) throws IOException {
		return Files.write(dir.resolve("f-" + System.nanoTime() + ".csv"), content);
	}

	private Path write(String content) throws IOException {
		return write(content.getBytes(StandardCharsets.UTF_8));
	}

	private static String refusal(Path file) {
		return refusal(file, IngestProperties.defaults());
	}

	private static String refusal(Path file, IngestProperties limits) {
		return catchThrowableOfType(FileRefusedException.class, () -> FileInspection.inspect(file, limits))
			.getMessage();
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	@Test
	void aSoundFileIsMeasuredAndItsSha256IsOfEveryByte() throws Exception {
		// given a file with a BOM, CRLF, a quoted multi-line reason, blank lines and rows of commas
		byte[] content = concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF },
				("request_id,group_id,amount,currency,reason\r\nr1,gp_a,1,USD,\"two\r\nlines\"\r\n,,,,\r\n\r\n"
						+ "r2,gp_b,2,USD,\"say \"\"hi\"\", then, go\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		Path file = write(content);

		// when
		FileInspection.Facts facts = FileInspection.inspect(file, IngestProperties.defaults());

		// then
		assertThat(facts.dataRows()).isEqualTo(2);
		assertThat(facts.header().indexOf("reason")).isEqualTo(4);
		assertThat(facts.sha256())
			.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
	}

	@Test
	void anEmptyFileAndAFileOfBlankLinesAreEmpty() throws IOException {
		// given / when / then
		assertThat(refusal(write(""))).startsWith("the file is empty");
		assertThat(refusal(write("\n\r\n  \n"))).startsWith("the file is empty");
		assertThat(refusal(write(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }))).startsWith("the file is empty");
	}

	@Test
	void aHeaderAloneHasNoDataRowsEvenWithBlankLinesAndRowsOfCommasAfterIt() throws IOException {
		// given / when / then
		assertThat(refusal(write(HEADER))).isEqualTo("the file has a header but no data rows");
		assertThat(refusal(write(HEADER + "\n,,,,\n  ,\n"))).isEqualTo("the file has a header but no data rows");
	}

	@Test
	void aBlankFirstLineIsRefusedBecauseTheHeaderMustComeFirst() throws IOException {
		// given / when / then
		assertThat(refusal(write("\n" + HEADER + ROW))).startsWith("line 1 is blank");
	}

	@Test
	void filesThatAreNotUtf8TextAreNamed() throws IOException {
		// given / when / then
		assertThat(refusal(write(concat(new byte[] { (byte) 0xFF, (byte) 0xFE },
				HEADER.getBytes(StandardCharsets.UTF_16LE))))).contains("UTF-16");
		assertThat(refusal(write(concat(new byte[] { (byte) 0xFE, (byte) 0xFF },
				HEADER.getBytes(StandardCharsets.UTF_16BE))))).contains("UTF-16");
		assertThat(refusal(write(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }))).contains("Excel workbook (.xlsx)");
		assertThat(refusal(write(new byte[] { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, 0 })))
			.contains("old Excel workbook (.xls)");
	}

	@Test
	void aByteThatIsNotUtf8IsReportedOnItsOwnLine() throws IOException {
		// given Latin-1 é on line 4
		Path file = write(concat((HEADER + ROW + ROW).getBytes(StandardCharsets.UTF_8),
				"r3,gp_c,3,USD,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)));

		// when
		String message = refusal(file);

		// then
		assertThat(message).startsWith("line 4: the file is not UTF-8 text: byte 0xE9").contains("Windows-1252");
	}

	@Test
	void aByteThatIsNotUtf8FarBeyondTheFirstBufferIsStillOnItsExactLine() throws IOException {
		// given 5,000 good rows (well over one read buffer) and then a bad one
		StringBuilder text = new StringBuilder(HEADER);
		for (int i = 0; i < 5000; i++) {
			text.append("r").append(i).append(",gp_a,1,USD,fine and long enough to fill buffers\n");
		}
		Path file = write(concat(text.toString().getBytes(StandardCharsets.UTF_8),
				"r-last,gp_a,1,USD,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)));

		// when / then
		assertThat(refusal(file)).startsWith("line 5002: ");
	}

	@Test
	void aNulCharacterMeansBinaryData() throws IOException {
		// given / when / then
		assertThat(refusal(write(HEADER + "r1,gp_a,1,USD,a\0b\n"))).isEqualTo("line 2 contains a NUL character: the "
				+ "file holds binary data, not CSV text");
	}

	@Test
	void aLineLongerThanTheMaximumIsRefusedWithItsNumber() throws IOException {
		// given a limit of 100 and a 101-character third line
		IngestProperties limits = new IngestProperties(100, 10, Map.of());
		Path atLimit = write(HEADER + ROW + "r2,gp_a,1,USD," + "x".repeat(100 - 14) + "\n");
		Path overLimit = write(HEADER + ROW + "r2,gp_a,1,USD," + "x".repeat(101 - 14) + "\n");

		// when / then
		assertThat(FileInspection.inspect(atLimit, limits).dataRows()).isEqualTo(2);
		assertThat(refusal(overLimit, limits)).startsWith("line 3 is longer than 100 characters")
			.contains("refunds.ingest.max-line-length");
	}

	@Test
	void moreRowsThanTheMaximumAreRefused() throws IOException {
		// given a maximum of 3 rows
		IngestProperties limits = new IngestProperties(4096, 3, Map.of());

		// when / then
		assertThat(FileInspection.inspect(write(HEADER + ROW + ROW + ROW + "\n,,,,\n"), limits).dataRows()).isEqualTo(3);
		assertThat(refusal(write(HEADER + ROW + ROW + ROW + ROW), limits))
			.isEqualTo("the file has more than 3 data rows (refunds.ingest.max-rows): split it into smaller files");
	}

	@Test
	void aQuoteThatIsNeverClosedIsReportedWhereItOpens() throws IOException {
		// given / when / then
		assertThat(refusal(write(HEADER + ROW + "r2,gp_b,2,USD,\"never closed\n")))
			.isEqualTo("line 3: a quoted field starts here and is never closed (unbalanced quotes)");
	}

	@Test
	void aQuotedFieldSwallowingRowsIsRefusedRatherThanSendingFewerRefunds() throws IOException {
		// given a reason whose closing quote is missing, so rows 3 and 4 would become its text
		Path file = write(HEADER + "r1,gp_a,1,USD,\"oops\nr2,gp_b,2,USD,fine\nr3,gp_c,3,USD,\"\n");

		// when / then
		assertThat(refusal(file)).startsWith("line 2: a quoted field starts here and runs on over line 3, which looks "
				+ "like a row of its own");
	}

	@Test
	void aMultiLineReasonWithFewCommasIsAccepted() throws IOException {
		// given
		Path file = write(HEADER + "r1,gp_a,1,USD,\"Customer wrote:\nplease refund, thanks\"\n" + ROW);

		// when / then
		assertThat(FileInspection.inspect(file, IngestProperties.defaults()).dataRows()).isEqualTo(2);
	}

	@Test
	void aStrayQuoteInsideAnUnquotedFieldIsRefusedWithItsColumn() throws IOException {
		// given / when / then
		assertThat(refusal(write(HEADER + ROW + "r2,gp_b,2,USD,5\" screen\n")))
			.startsWith("line 3, column 5 (reason): a quote (\") in a field that does not start with one");
	}

	@Test
	void textAfterAClosingQuoteIsRefused() throws IOException {
		// given / when / then
		assertThat(refusal(write(HEADER + "r1,gp_a,\"10\"0,USD,x\n")))
			.startsWith("line 2, column 3 (amount): text after the closing quote");
	}

	@Test
	void lineBreaksAreCountedAsTheCsvReaderCountsThem() throws IOException {
		// given CRLF, lone CR and LF line breaks, and a quoted line break, before a stray quote on line 6
		Path file = write(HEADER.replace("\n", "\r\n") + "r1,gp_a,1,USD,x\rr2,gp_a,1,USD,\"a\r\nb\"\n\nr3,gp,1,USD,\"\"x\n");

		// when / then
		assertThat(refusal(file)).startsWith("line 6, column 5 (reason): text after the closing quote");
	}

	@Test
	void theHeaderRepeatedFurtherDownMeansTwoFilesWereJoined() throws IOException {
		// given / when / then
		assertThat(refusal(write(HEADER + ROW + "\n" + HEADER.toUpperCase() + ROW)))
			.startsWith("line 4 repeats the header line: were two files joined together?");
	}

	@Test
	void aHeaderProblemIsReportedByTheInspection() throws IOException {
		// given / when / then
		assertThat(refusal(write("request_id;group_id;amount;currency\nr1;gp;1;USD\n")))
			.contains("';' as separator (semicolon)");
	}

	@Test
	void aMissingFileIsNamed() {
		// given / when / then
		assertThat(refusal(dir.resolve("nope.csv"))).startsWith("no such file: ");
	}

	@Test
	void examiningAFileHandsOverEachDataRowWithTheLineTheReaderGivesIt() throws Exception {
		// given a record over three lines, a blank line and a row of commas
		Path file = write(HEADER + "r1,gp_a,1,USD,x\n" + "r2,gp_b,2,USD,\"multi\nline\nreason\"\n\n,,,,\n"
				+ "r3,gp_c,,USD,y\n");
		List<InspectedRow> rows = new ArrayList<>();

		// when
		FileInspection.Inspection inspection = FileInspection.examine(file, IngestProperties.defaults(), rows::add);

		// then: the lines and fields the CSV reader gives these rows (RefundCsvReaderTest)
		assertThat(inspection.passed()).isTrue();
		assertThat(inspection.facts().dataRows()).isEqualTo(3);
		assertThat(inspection.sha256()).isEqualTo(inspection.facts().sha256()).isEqualTo(sha256(Files.readAllBytes(file)));
		assertThat(rows).extracting(InspectedRow::lineNumber).containsExactly(2, 3, 8).isEqualTo(readerLines(file));
		assertThat(rows).extracting(row -> row.field("group_id")).containsExactly("gp_a", "gp_b", "gp_c");
		assertThat(rows.get(1).field("reason")).isEqualTo("multi\nline\nreason");
		assertThat(rows.get(2).field("amount")).isEmpty();
	}

	@Test
	void aRefusedFileIsStillHashedToItsLastByteWithTheSameReason() throws Exception {
		// given a NUL on line 2, and more after it
		byte[] content = (HEADER + "r1,gp_a,1,USD,\0\n" + ROW.repeat(5000)).getBytes(StandardCharsets.UTF_8);
		Path file = write(content);

		// when
		FileInspection.Inspection inspection = FileInspection.examine(file, IngestProperties.defaults(), row -> {
		});

		// then: the SHA-256 that knows this file again next time, and the refusal inspect gives
		assertThat(inspection.passed()).isFalse();
		assertThat(inspection.facts()).isNull();
		assertThat(inspection.sha256()).isEqualTo(sha256(content));
		assertThat(inspection.refusal()).hasMessage(refusal(file));
	}

	@Test
	void aFileThatCannotBeReadIsAnInputErrorForTheCaller() {
		// when
		Throwable thrown = catchThrowable(
				() -> FileInspection.examine(dir.resolve("missing.csv"), IngestProperties.defaults(), row -> {
				}));

		// then: the same words as the inspection's refusal
		assertThat(thrown).isInstanceOf(UncheckedIOException.class);
		assertThat(FileInspection.unreadable(dir.resolve("missing.csv"), (UncheckedIOException) thrown))
			.hasMessage(refusal(dir.resolve("missing.csv")));
	}

	private static List<Integer> readerLines(Path file) {
		RefundCsvReader reader = new RefundCsvReader(file);
		reader.open(new org.springframework.batch.infrastructure.item.ExecutionContext());
		List<Integer> lines = new ArrayList<>();
		for (CsvRecord record = reader.read(); record != null; record = reader.read()) {
			lines.add(record.lineNumber());
		}
		reader.close();
		return lines;
	}

	private static String sha256(byte[] content) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
	}

}
