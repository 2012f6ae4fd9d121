package io.grouprefunds.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The file gate's first look at a refund file, before a single row is parsed or recorded: the bytes are UTF-8 text
 * (a UTF-8 byte order mark is allowed; UTF-16, spreadsheets and other binary files are named), every line is within
 * the configured length, quotes balance (RFC 4180), the header is right, the header is not repeated further down,
 * there is at least one data row and no more than the configured maximum.
 *
 * <p>It reads the file once as a stream, so a problem is reported with the exact line it is on, and its SHA-256 comes
 * with it. It is stricter than the CSV parser on purpose: a quote the parser would take literally, or a quoted field
 * that swallows the lines after it, is the kind of hand edit that silently turns rows into text, so it refuses the
 * file instead of guessing.
 */
public final class FileInspection {

	private static final int BUFFER = 1 << 16;

	private FileInspection() {
	}

	/**
	 * What the gate learnt about an accepted file.
	 *
	 * @param dataRows records after the header that hold any data (blank lines and rows of empty fields do not count)
	 */
	public record Facts(String sha256, CsvHeader header, int dataRows) {
	}

	/** @throws FileRefusedException with one message for the operator, naming the line where there is one */
	public static Facts inspect(Path file, IngestProperties limits) {
		MessageDigest digest = sha256();
		try (InputStream raw = Files.newInputStream(file); DigestInputStream in = new DigestInputStream(raw, digest)) {
			ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
			boolean eof = fill(in, bytes);
			bytes.flip();
			if (!bytes.hasRemaining()) {
				throw new FileRefusedException("the file is empty: expected a header line "
						+ String.join(",", CsvHeader.REQUIRED_COLUMNS) + ",reason and one line per refund");
			}
			refuseIfNotText(bytes);
			if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
				bytes.position(3); // the UTF-8 byte order mark spreadsheets write: not part of the text
			}
			Scan scan = new Scan(limits);
			CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT);
			CharBuffer chars = CharBuffer.allocate(BUFFER);
			long bufferStart = 0;
			while (true) {
				CoderResult result = decoder.decode(bytes, chars, eof);
				chars.flip();
				scan.accept(chars);
				chars.clear();
				if (result.isError()) {
					int bad = bytes.get(bytes.position()) & 0xff;
					throw new FileRefusedException("line " + scan.line + ": the file is not UTF-8 text: byte 0x"
							+ HexFormat.of().withUpperCase().toHexDigits((byte) bad) + " (byte "
							+ (bufferStart + bytes.position() + 1) + " of the file) is not UTF-8, so it was probably "
							+ "saved as Windows-1252 or Latin-1; save it as 'CSV UTF-8'");
				}
				if (result.isOverflow()) {
					continue;
				}
				if (eof) {
					break;
				}
				bufferStart += bytes.position();
				bytes.compact();
				eof = fill(in, bytes);
				bytes.flip();
			}
			decoder.flush(chars);
			chars.flip();
			scan.accept(chars);
			scan.end();
			return new Facts(HexFormat.of().formatHex(digest.digest()), scan.header, scan.dataRows);
		}
		catch (NoSuchFileException ex) {
			throw new FileRefusedException("no such file: " + file);
		}
		catch (IOException ex) {
			throw new FileRefusedException("cannot read " + file.getFileName() + ": " + ex.getMessage(), ex);
		}
	}

	/** Reads until the buffer is full or the stream ends; true at the end of the stream. */
	private static boolean fill(InputStream in, ByteBuffer bytes) throws IOException {
		while (bytes.hasRemaining()) {
			int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
			if (n < 0) {
				return true;
			}
			bytes.position(bytes.position() + n);
		}
		return false;
	}

	/** Files people send instead of CSV text, recognised by their first bytes, each named so it can be fixed. */
	private static void refuseIfNotText(ByteBuffer bytes) {
		if (startsWith(bytes, 0xFF, 0xFE, 0x00, 0x00) || startsWith(bytes, 0x00, 0x00, 0xFE, 0xFF)) {
			throw new FileRefusedException("the file is UTF-32 text (it starts with a UTF-32 byte order mark): "
					+ "save it as 'CSV UTF-8'");
		}
		if (startsWith(bytes, 0xFF, 0xFE) || startsWith(bytes, 0xFE, 0xFF)) {
			throw new FileRefusedException("the file is UTF-16 text (it starts with a UTF-16 byte order mark, as "
					+ "Excel's 'Unicode Text' saves it): save it as 'CSV UTF-8 (Comma delimited)'");
		}
		if (startsWith(bytes, 0x50, 0x4B, 0x03, 0x04)) {
			throw new FileRefusedException("the file is a ZIP archive, such as an Excel workbook (.xlsx), not CSV "
					+ "text: open it and save it as 'CSV UTF-8 (Comma delimited)'");
		}
		if (startsWith(bytes, 0xD0, 0xCF, 0x11, 0xE0)) {
			throw new FileRefusedException("the file is an old Excel workbook (.xls), not CSV text: open it and save "
					+ "it as 'CSV UTF-8 (Comma delimited)'");
		}
	}

	private static boolean startsWith(ByteBuffer bytes, int... prefix) {
		if (bytes.remaining() < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if ((bytes.get(bytes.position() + i) & 0xff) != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Whether a record holds no data at all: a blank line, or a row of empty fields as spreadsheets export. */
	public static boolean isBlank(List<String> fields) {
		return fields.stream().allMatch(field -> field == null || field.isBlank());
	}

	/**
	 * An RFC 4180 tokenizer fed one character at a time. Line breaks are LF, CRLF or a lone CR, as the CSV reader
	 * counts them, so line numbers agree.
	 */
	private static final class Scan {

		private enum State {
			FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED
		}

		private final IngestProperties limits;

		private State state = State.FIELD_START;

		private int line = 1;

		private int lineLength;

		private boolean afterCarriageReturn;

		private int recordLine = 1;

		private boolean recordStarted;

		private final List<String> record = new ArrayList<>();

		private final StringBuilder field = new StringBuilder();

		private int quoteLine;

		private int lineBreaksInQuotes;

		private int commasOnQuotedLine;

		private CsvHeader header;

		private int dataRows;

		Scan(IngestProperties limits) {
			this.limits = limits;
		}

		void accept(CharBuffer chars) {
			while (chars.hasRemaining()) {
				char c = chars.get();
				if (c == '\n' && afterCarriageReturn) {
					afterCarriageReturn = false; // the LF of a CRLF: the line break was counted at the CR
					continue;
				}
				afterCarriageReturn = c == '\r';
				if (c == '\r' || c == '\n') {
					lineBreak();
				}
				else {
					character(c);
				}
			}
		}

		private void character(char c) {
			if (++lineLength > limits.maxLineLength()) {
				throw new FileRefusedException("line " + line + " is longer than " + limits.maxLineLength()
						+ " characters (refunds.ingest.max-line-length); is this a refund CSV?");
			}
			if (c == '\0') {
				throw new FileRefusedException("line " + line + " contains a NUL character: the file holds binary "
						+ "data, not CSV text");
			}
			recordStarted = true;
			switch (state) {
				case FIELD_START -> {
					if (c == '"') {
						state = State.QUOTED;
						quoteLine = line;
						lineBreaksInQuotes = 0;
						commasOnQuotedLine = 0;
					}
					else if (c == ',') {
						endField();
					}
					else {
						append(c);
						state = State.UNQUOTED;
					}
				}
				case UNQUOTED -> {
					if (c == ',') {
						endField();
						state = State.FIELD_START;
					}
					else if (c == '"') {
						throw new FileRefusedException("line " + line + ", " + column() + ": a quote (\") in a field "
								+ "that does not start with one; put the whole field in quotes and double the quote "
								+ "inside it, e.g. \"5\"\" screen\"");
					}
					else {
						append(c);
					}
				}
				case QUOTED -> {
					if (c == '"') {
						state = State.QUOTE_IN_QUOTED;
					}
					else {
						if (c == ',') {
							commasOnQuotedLine++;
						}
						append(c);
					}
				}
				case QUOTE_IN_QUOTED -> {
					if (c == '"') {
						append('"'); // a doubled quote inside a quoted field
						state = State.QUOTED;
					}
					else if (c == ',') {
						checkNotSwallowingRows();
						endField();
						state = State.FIELD_START;
					}
					else {
						throw new FileRefusedException("line " + line + ", " + column() + ": text after the closing "
								+ "quote of a quoted field; a quote inside a quoted field must be doubled (\"\")");
					}
				}
			}
		}

		private void lineBreak() {
			if (state == State.QUOTED) {
				checkNotSwallowingRows();
				lineBreaksInQuotes++;
				commasOnQuotedLine = 0;
				append('\n');
			}
			else {
				if (state == State.QUOTE_IN_QUOTED) {
					checkNotSwallowingRows();
				}
				endRecord();
				state = State.FIELD_START;
			}
			line++;
			lineLength = 0;
			if (state == State.FIELD_START) {
				recordLine = line;
			}
		}

		void end() {
			if (state == State.QUOTED) {
				throw new FileRefusedException("line " + quoteLine + ": a quoted field starts here and is never "
						+ "closed (unbalanced quotes)");
			}
			if (state == State.QUOTE_IN_QUOTED) {
				checkNotSwallowingRows();
			}
			if (recordStarted) {
				endRecord();
			}
			if (header == null) {
				throw new FileRefusedException("the file is empty: expected a header line "
						+ String.join(",", CsvHeader.REQUIRED_COLUMNS) + ",reason and one line per refund");
			}
			if (dataRows == 0) {
				throw new FileRefusedException("the file has a header but no data rows");
			}
		}

		private void append(char c) {
			if (field.length() >= limits.maxLineLength()) {
				throw new FileRefusedException("line " + (state == State.QUOTED ? quoteLine : line) + ", " + column()
						+ ": a field longer than " + limits.maxLineLength() + " characters (an unclosed quote?)");
			}
			field.append(c);
		}

		/**
		 * A quoted field that runs over into a line looking like a row of its own (as many commas as the header
		 * needs) is almost certainly a missing closing quote that swallowed rows: refuse rather than send fewer
		 * refunds than the file lists.
		 */
		private void checkNotSwallowingRows() {
			if (lineBreaksInQuotes > 0 && header != null && header.fields().size() > 1
					&& commasOnQuotedLine >= header.fields().size() - 1) {
				throw new FileRefusedException("line " + quoteLine + ": a quoted field starts here and runs on over "
						+ "line " + line + ", which looks like a row of its own (unbalanced quotes: a closing quote is "
						+ "missing)");
			}
		}

		private void endField() {
			record.add(field.toString());
			field.setLength(0);
		}

		private void endRecord() {
			endField();
			List<String> fields = List.copyOf(record);
			record.clear();
			boolean started = recordStarted;
			recordStarted = false;
			if (!started || isBlank(fields)) {
				return;
			}
			if (header == null) {
				if (recordLine > 1) {
					throw new FileRefusedException("line 1 is blank: the header line (request_id,group_id,amount,"
							+ "currency,reason) must be the first line of the file");
				}
				header = CsvHeader.of(fields);
				return;
			}
			if (header.isRepeatedBy(fields)) {
				throw new FileRefusedException("line " + recordLine + " repeats the header line: were two files "
						+ "joined together? Send each file on its own");
			}
			if (++dataRows > limits.maxRows()) {
				throw new FileRefusedException("the file has more than " + limits.maxRows() + " data rows "
						+ "(refunds.ingest.max-rows): split it into smaller files");
			}
		}

		private String column() {
			int index = record.size();
			String name = header == null ? null
					: header.columns()
						.entrySet()
						.stream()
						.filter(e -> e.getValue() == index)
						.map(Map.Entry::getKey)
						.findFirst()
						.orElse(null);
			return "column " + (index + 1) + (name == null ? "" : " (" + name + ")");
		}

	}

}
