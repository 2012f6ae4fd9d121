package io.grouprefunds.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import org.apache.commons.io.input.BOMInputStream;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the refund CSV with OpenCSV: UTF-8 (a BOM is tolerated, any byte that is not UTF-8 refuses the file),
 * RFC 4180 quoting, a header naming the columns in any order.
 *
 * <p>Restartable: the number of records consumed is kept in the step's ExecutionContext at every chunk commit, and
 * a restart skips exactly that many records ({@code CSVReader.skip} skips whole records, so quoted line breaks are
 * safe).
 */
public class RefundCsvReader implements ItemStreamReader<CsvRecord> {

	public static final List<String> REQUIRED_COLUMNS = List.of("request_id", "group_id", "amount", "currency");

	public static final List<String> OPTIONAL_COLUMNS = List.of("reason");

	private static final String RECORDS_READ = "records.read";

	private final Path file;

	private CSVReader csv;

	private Map<String, Integer> columns;

	private long recordsRead;

	private int headerSize;

	public RefundCsvReader(Path file) {
		this.file = file;
	}

	@Override
	public void open(ExecutionContext context) {
		try {
			InputStream in = BOMInputStream.builder().setInputStream(Files.newInputStream(file)).get();
			Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT));
			this.csv = new CSVReaderBuilder(reader).withCSVParser(new RFC4180ParserBuilder().build())
				.withKeepCarriageReturn(false)
				.build();
			this.columns = readHeader();
			long skip = context.getLong(RECORDS_READ, 0L);
			if (skip > 0) {
				csv.skip(Math.toIntExact(skip));
			}
			this.recordsRead = skip;
		}
		catch (IOException ex) {
			throw refusal(ex, "cannot read " + file.getFileName());
		}
	}

	@Override
	public CsvRecord read() {
		try {
			while (true) {
				int lineNumber = Math.toIntExact(csv.getLinesRead() + 1);
				String[] fields = csv.readNext();
				if (fields == null) {
					return null;
				}
				recordsRead++;
				if (fields.length == 1 && fields[0].isBlank()) {
					continue; // blank line, typically trailing: not a row
				}
				String shape = fields.length == headerSize ? null
						: "the row has " + fields.length + " fields where the header has " + headerSize;
				return new CsvRecord(lineNumber, field(fields, "request_id"), field(fields, "group_id"),
						field(fields, "amount"), field(fields, "currency"), field(fields, "reason"), shape);
			}
		}
		catch (IOException | CsvValidationException ex) {
			throw refusal(ex, "line " + (csv.getLinesRead()));
		}
	}

	@Override
	public void update(ExecutionContext context) {
		context.putLong(RECORDS_READ, recordsRead);
	}

	@Override
	public void close() {
		if (csv != null) {
			try {
				csv.close();
			}
			catch (IOException ex) {
				throw new ItemStreamException("closing " + file.getFileName(), ex);
			}
		}
	}

	private Map<String, Integer> readHeader() throws IOException {
		String[] header;
		try {
			header = csv.readNext();
		}
		catch (CsvValidationException ex) {
			throw new FileRefusedException("the header line is not valid CSV: " + ex.getMessage());
		}
		if (header == null || (header.length == 1 && header[0].isBlank())) {
			throw new FileRefusedException("the file is empty: expected a header line "
					+ String.join(",", REQUIRED_COLUMNS) + ",reason");
		}
		this.headerSize = header.length;
		Map<String, Integer> found = new HashMap<>();
		List<String> unknown = new ArrayList<>();
		for (int i = 0; i < header.length; i++) {
			String name = header[i].strip().toLowerCase(Locale.ROOT);
			if (found.putIfAbsent(name, i) != null) {
				throw new FileRefusedException("header: column '" + name + "' appears twice");
			}
			if (name.isEmpty()) {
				throw new FileRefusedException("header: column " + (i + 1) + " has no name"
						+ (i == header.length - 1 ? " (the header line ends with a comma)" : ""));
			}
			if (!REQUIRED_COLUMNS.contains(name) && !OPTIONAL_COLUMNS.contains(name)) {
				unknown.add(header[i]);
			}
		}
		List<String> missing = REQUIRED_COLUMNS.stream().filter(name -> !found.containsKey(name)).toList();
		if (!missing.isEmpty()) {
			String hint = header.length == 1 && (header[0].contains(";") || header[0].contains("\t"))
					? " (the file seems to use '" + (header[0].contains(";") ? ";" : "tab")
							+ "' as separator; it must be a comma)"
					: "";
			throw new FileRefusedException("header: missing column(s) " + String.join(", ", missing) + hint);
		}
		if (!unknown.isEmpty()) {
			throw new FileRefusedException("header: unknown column(s) " + String.join(", ", unknown)
					+ "; expected request_id, group_id, amount, currency and optionally reason");
		}
		return found;
	}

	private String field(String[] fields, String column) {
		Integer index = columns.get(column);
		if (index == null) {
			return null;
		}
		return index < fields.length ? fields[index] : "";
	}

	private FileRefusedException refusal(Exception ex, String where) {
		if (ex instanceof CharacterCodingException || ex.getCause() instanceof CharacterCodingException) {
			// The decoder reads ahead, so the position is approximate.
			return new FileRefusedException("the file is not UTF-8 text (detected near " + where
					+ "): save it as UTF-8 CSV", ex);
		}
		return new FileRefusedException(where + ": " + ex.getMessage(), ex);
	}

}
