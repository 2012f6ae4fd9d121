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
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import org.apache.commons.io.input.BOMInputStream;
import org.apache.commons.lang3.exception.ExceptionUtils;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the refund CSV with OpenCSV: UTF-8 (a BOM is tolerated), RFC 4180 quoting, a header naming the columns in any
 * order. Before the first row the whole file has passed the {@link FileInspection} gate, so a file that is not sound
 * is refused before anything from it is recorded: the reader inspects it itself at {@link #open}, unless it is given
 * the inspection this process just made ({@link #afterInspection}), which spares the file a read.
 *
 * <p>While it reads, it hashes the bytes: a file whose SHA-256 at the end is not the batch's changed after it was
 * inspected, and is refused before the gate lets anything be sent.
 *
 * <p>Restartable: the number of records consumed is kept in the step's ExecutionContext at every chunk commit, and
 * a restart skips exactly that many records ({@code CSVReader.skip} skips whole records, so quoted line breaks are
 * safe).
 */
public class RefundCsvReader implements ItemStreamReader<CsvRecord> {

	public static final List<String> REQUIRED_COLUMNS = CsvHeader.REQUIRED_COLUMNS;

	public static final List<String> OPTIONAL_COLUMNS = CsvHeader.OPTIONAL_COLUMNS;

	/** The restart position in the step's ExecutionContext: records consumed, blank ones included. */
	static final String RECORDS_READ = "records.read";

	private final Path file;

	private final IngestProperties limits;

	private final String expectedSha256;

	private final Consumer<List<String>> headerListener;

	private final FileInspection.Inspection inspected;

	private MessageDigest digest;

	private CSVReader csv;

	private CsvHeader header;

	private boolean rebuildable;

	private long recordsRead;

	public RefundCsvReader(Path file) {
		this(file, IngestProperties.defaults(), null, header -> {
		});
	}

	/**
	 * @param expectedSha256 the SHA-256 the batch was started with; a file that changed since is refused (null: not
	 * checked)
	 * @param headerListener told the header as written, once the file passed the gate
	 */
	public RefundCsvReader(Path file, IngestProperties limits, String expectedSha256,
			Consumer<List<String>> headerListener) {
		this(file, limits, expectedSha256, headerListener, null);
	}

	private RefundCsvReader(Path file, IngestProperties limits, String expectedSha256,
			Consumer<List<String>> headerListener, FileInspection.Inspection inspected) {
		this.file = file;
		this.limits = limits;
		this.expectedSha256 = expectedSha256;
		this.headerListener = headerListener;
		this.inspected = inspected;
	}

	/**
	 * A reader of a file this process has just inspected: it does not inspect it again. A refused file is refused at
	 * {@link #open} with the inspection's own reason; a sound one is read and must still hash as the inspection did.
	 */
	public static RefundCsvReader afterInspection(Path file, IngestProperties limits,
			FileInspection.Inspection inspection, Consumer<List<String>> headerListener) {
		return new RefundCsvReader(file, limits, inspection.sha256(), headerListener, inspection);
	}

	@Override
	public void open(ExecutionContext context) {
		String sha256 = inspected != null ? inspected.factsOrThrow().sha256()
				: FileInspection.inspect(file, limits).sha256();
		if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha256)) {
			throw changed();
		}
		try {
			this.digest = MessageDigest.getInstance("SHA-256");
			InputStream in = BOMInputStream.builder()
				.setInputStream(new DigestInputStream(Files.newInputStream(file), digest))
				.get();
			Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT));
			this.csv = new CSVReaderBuilder(reader).withCSVParser(new RFC4180ParserBuilder().build())
				.withKeepCarriageReturn(false)
				.build();
			this.header = readHeader();
			this.rebuildable = header.rowsRebuildFromValues();
			headerListener.accept(header.fields());
			long skip = context.getLong(RECORDS_READ, 0L);
			if (skip > 0) {
				csv.skip(Math.toIntExact(skip));
			}
			this.recordsRead = skip;
		}
		catch (IOException ex) {
			throw refusal(ex, "cannot read " + file.getFileName());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public CsvRecord read() {
		try {
			while (true) {
				int lineNumber = Math.toIntExact(csv.getLinesRead() + 1);
				String[] fields = csv.readNext();
				if (fields == null) {
					checkUnchanged();
					return null;
				}
				recordsRead++;
				List<String> asWritten = Arrays.asList(fields);
				if (blank(fields)) {
					continue; // a blank line, or a row of empty fields a spreadsheet left: not a row
				}
				return new CsvRecord(lineNumber, field(fields, "request_id"), field(fields, "group_id"),
						field(fields, "amount"), field(fields, "currency"), field(fields, "reason"), shape(fields),
						asWritten, rebuildable && fields.length == header.fields().size());
			}
		}
		catch (IOException | CsvValidationException ex) {
			throw refusal(ex, "line " + (csv.getLinesRead()));
		}
	}

	/** Records consumed so far (blank ones and those skipped on a restart included): where a restart resumes. */
	long recordsRead() {
		return recordsRead;
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

	/** At the end of the file: every byte was hashed on the way, so the file read is the file inspected. */
	private void checkUnchanged() {
		if (digest != null && expectedSha256 != null
				&& !expectedSha256.equalsIgnoreCase(HexFormat.of().formatHex(digest.digest()))) {
			throw changed();
		}
		digest = null; // read() may be called again after the end: the digest is spent
	}

	private FileRefusedException changed() {
		return new FileRefusedException("the file " + file.getFileName() + " changed after this batch started "
				+ "(its contents are not the ones first run); run the new file as a new batch");
	}

	/** As {@link FileInspection#isBlank}, without a stream per row. */
	private static boolean blank(String[] fields) {
		for (String field : fields) {
			if (field != null && !field.isBlank()) {
				return false;
			}
		}
		return true;
	}

	private CsvHeader readHeader() throws IOException {
		String[] fields;
		try {
			fields = csv.readNext();
		}
		catch (CsvValidationException ex) {
			throw new FileRefusedException("the header line is not valid CSV: " + ex.getMessage());
		}
		if (fields == null) {
			throw new FileRefusedException("the file is empty: expected a header line");
		}
		return CsvHeader.of(Arrays.asList(fields));
	}

	private String shape(String[] fields) {
		int expected = header.fields().size();
		if (fields.length == expected) {
			return null;
		}
		String problem = "the row has " + fields.length + " fields where the header has " + expected;
		if (fields.length == 1 && fields[0].contains(";")) {
			problem += " (it seems to use ';' as separator; it must be a comma)";
		}
		else if (fields.length == 1 && fields[0].contains("\t")) {
			problem += " (it seems to use tabs as separator; it must be a comma)";
		}
		return problem;
	}

	private String field(String[] fields, String column) {
		Integer index = header.indexOf(column);
		if (index == null) {
			return null;
		}
		return index < fields.length ? fields[index] : "";
	}

	private FileRefusedException refusal(Exception ex, String where) {
		if (ExceptionUtils.throwableOfType(ex, CharacterCodingException.class) != null) {
			// The inspection found the file to be UTF-8 moments ago: it changed while being read.
			return new FileRefusedException("the file is not UTF-8 text (detected near " + where
					+ "): save it as UTF-8 CSV", ex);
		}
		return new FileRefusedException(where + ": " + ex.getMessage(), ex);
	}

}
