package io.grouprefunds.ingest;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The file inspection's RFC 4180 tokenizer, fed one character at a time: it refuses what the inspection refuses
 * (see {@link FileInspection}), finds the header, counts the data rows and hands each one to a listener as it goes.
 * Line breaks are LF, CRLF or a lone CR, as the CSV reader counts them, so line numbers agree.
 */
final class CsvScan {

	private enum State {
		FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED
	}

	private final IngestProperties limits;

	private final Consumer<InspectedRow> rows;

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

	CsvScan(IngestProperties limits, Consumer<InspectedRow> rows) {
		this.limits = limits;
		this.rows = rows;
	}

	/** The physical line being read, from 1. */
	int line() {
		return line;
	}

	/** The header, once line 1 is read. */
	CsvHeader header() {
		return header;
	}

	/** Data rows so far: records after the header that hold any data. */
	int dataRows() {
		return dataRows;
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
		if (!started || FileInspection.isBlank(fields)) {
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
		rows.accept(new InspectedRow(recordLine, header, fields));
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
