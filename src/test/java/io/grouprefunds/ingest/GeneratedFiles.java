package io.grouprefunds.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random refund files built from {@link GeneratedRows}: columns in any order (reason optional), fields quoted where
 * they must be and sometimes where they need not, LF or CRLF, with or without a byte order mark, blank lines and rows
 * of empty fields between rows, and request_ids repeated. Each file knows, for every data row, its line and the
 * status ingest must give it.
 */
final class GeneratedFiles {

	private GeneratedFiles() {
	}

	/** A data row as written: its first line, its fields in the file's column order, and the status it must get. */
	record WrittenRow(int line, GeneratedRows.Row row, List<String> fields, boolean ready) {
	}

	/** A file's text and the rows it holds; blank rows are written but are no data rows. */
	record File(String text, boolean byteOrderMark, List<String> columns, List<WrittenRow> rows) {

		Path writeTo(Path dir, String name) {
			try {
				byte[] body = text.getBytes(StandardCharsets.UTF_8);
				byte[] bytes = body;
				if (byteOrderMark) {
					bytes = new byte[body.length + 3];
					bytes[0] = (byte) 0xEF;
					bytes[1] = (byte) 0xBB;
					bytes[2] = (byte) 0xBF;
					System.arraycopy(body, 0, bytes, 3, body.length);
				}
				return Files.write(dir.resolve(name), bytes);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		long readyRows() {
			return rows.stream().filter(WrittenRow::ready).count();
		}

	}

	/** One row of the file as drawn: the row, which earlier row's request_id it reuses (or -1), how it is laid out. */
	private record Drawn(GeneratedRows.Row row, int reuseOf, int blankLinesBefore, String blankKind, long quoteMask) {
	}

	static Arbitrary<File> files(Arbitrary<GeneratedRows.Row> rows, int maxRows) {
		Arbitrary<Drawn> drawn = Combinators.combine(rows, Arbitraries.integers().between(-8, maxRows),
				Arbitraries.frequency(net.jqwik.api.Tuple.of(6, 0), net.jqwik.api.Tuple.of(1, 1),
						net.jqwik.api.Tuple.of(1, 2)),
				Arbitraries.of("", ",,,,", "   ", ",,"), Arbitraries.longs())
			.as(Drawn::new);
		Arbitrary<List<String>> columns = Arbitraries.of(true, false)
			.flatMap(withReason -> Arbitraries.shuffle(withReason
					? List.of("request_id", "group_id", "amount", "currency", "reason")
					: List.of("request_id", "group_id", "amount", "currency")));
		return Combinators.combine(drawn.list().ofMinSize(1).ofMaxSize(maxRows), columns, Arbitraries.of(true, false),
				Arbitraries.of(true, false), Arbitraries.of(true, false))
			.as((list, cols, crlf, bom, trailingBlank) -> build(list, cols, crlf, bom, trailingBlank));
	}

	private static File build(List<Drawn> drawn, List<String> columns, boolean crlf, boolean bom,
			boolean trailingBlank) {
		String newline = crlf ? "\r\n" : "\n";
		StringBuilder text = new StringBuilder(String.join(",", columns)).append(newline);
		int line = 2;
		List<WrittenRow> written = new ArrayList<>();
		List<GeneratedRows.Row> rowsSoFar = new ArrayList<>();
		Set<String> readyIds = new HashSet<>();
		boolean withReason = columns.contains("reason");
		for (Drawn d : drawn) {
			GeneratedRows.Row row = d.row();
			if (d.reuseOf() >= 0 && d.reuseOf() < rowsSoFar.size()) {
				row = row.withRequestId(rowsSoFar.get(d.reuseOf()).requestId()); // the same request_id again
			}
			if (!withReason) {
				row = new GeneratedRows.Row(row.requestId(), row.groupId(), row.amount(), row.currency(),
						GeneratedRows.Field.ok(""));
			}
			rowsSoFar.add(row);
			for (int i = 0; i < d.blankLinesBefore(); i++) {
				text.append(d.blankKind()).append(newline);
				line++;
			}
			List<String> fields = new ArrayList<>();
			for (String column : columns) {
				fields.add(switch (column) {
					case "request_id" -> row.requestId().text();
					case "group_id" -> row.groupId().text();
					case "amount" -> row.amount().text();
					case "currency" -> row.currency().text();
					default -> row.reason().text();
				});
			}
			if (row.blank()) {
				continue; // a row of empty fields is no data row: it is not written at all
			}
			List<String> cells = new ArrayList<>();
			for (int i = 0; i < fields.size(); i++) {
				cells.add(csvField(fields.get(i), (d.quoteMask() >> i & 1) == 1));
			}
			text.append(String.join(",", cells)).append(newline);
			boolean ready = row.valid() && readyIds.add(row.requestId().text());
			written.add(new WrittenRow(line, row, fields, ready));
			line += 1 + (int) fields.stream().mapToLong(f -> f.chars().filter(c -> c == '\n').count()).sum();
		}
		if (trailingBlank) {
			text.append(newline).append(newline);
		}
		return new File(text.toString(), bom, columns, written);
	}

	/** RFC 4180: quoted when it must be (comma, quote, line break), or when asked; quotes doubled. */
	private static String csvField(String value, boolean quoteAnyway) {
		boolean must = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
		return must || quoteAnyway ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
	}

}
