package io.grouprefunds.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The file gate's first look at a refund file, before a single row is parsed or recorded: the bytes are UTF-8 text
 * (a UTF-8 byte order mark is allowed; UTF-16, spreadsheets and other binary files are named), every line is within
 * the configured length, quotes balance (RFC 4180), the header is right, the header is not repeated further down,
 * there is at least one data row and no more than the configured maximum.
 *
 * <p>It reads the file once as a stream, so a problem is reported with the exact line it is on, and its SHA-256 comes
 * with it (the tokenizer is {@link CsvScan}). It is stricter than the CSV parser on purpose: a quote the parser would take literally, or a quoted field
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

	/**
	 * A file looked at once, whatever the verdict: its SHA-256 (of every byte, a refused file's too, so that a file
	 * refused before is known again), and either the facts of a sound file or why it is refused.
	 */
	public record Inspection(String sha256, Facts facts, FileRefusedException refusal) {

		public boolean passed() {
			return refusal == null;
		}

		/** @throws FileRefusedException when the file was refused */
		public Facts factsOrThrow() {
			if (refusal != null) {
				throw refusal;
			}
			return facts;
		}

	}

	/** @throws FileRefusedException with one message for the operator, naming the line where there is one */
	public static Facts inspect(Path file, IngestProperties limits) {
		try {
			return read(file, limits, row -> {
			}, false).factsOrThrow();
		}
		catch (UncheckedIOException ex) {
			throw unreadable(file, ex);
		}
	}

	/** The refusal of a file that cannot be read at all, as {@link #inspect} gives it. */
	public static FileRefusedException unreadable(Path file, UncheckedIOException ex) {
		if (ex.getCause() instanceof NoSuchFileException) {
			return new FileRefusedException("no such file: " + file);
		}
		return new FileRefusedException("cannot read " + file.getFileName() + ": " + ex.getCause().getMessage(),
				ex.getCause());
	}

	/**
	 * Reads the file once, to the end, and hands every data row to {@code rows} as it goes, so the checks a new file
	 * needs (its SHA-256, its soundness, which provider it is for) cost one read between them.
	 * @throws UncheckedIOException when the file cannot be read
	 */
	public static Inspection examine(Path file, IngestProperties limits, Consumer<InspectedRow> rows) {
		return read(file, limits, rows, true);
	}

	private static Inspection read(Path file, IngestProperties limits, Consumer<InspectedRow> rows,
			boolean hashWhenRefused) {
		MessageDigest digest = sha256();
		try (InputStream raw = Files.newInputStream(file); DigestInputStream in = new DigestInputStream(raw, digest)) {
			Facts facts;
			try {
				facts = scan(in, limits, rows);
			}
			catch (FileRefusedException refusal) {
				if (!hashWhenRefused) {
					return new Inspection(null, null, refusal);
				}
				in.transferTo(OutputStream.nullOutputStream()); // the rest of the bytes still count in the SHA-256
				return new Inspection(HexFormat.of().formatHex(digest.digest()), null, refusal);
			}
			String sha256 = HexFormat.of().formatHex(digest.digest());
			return new Inspection(sha256, new Facts(sha256, facts.header(), facts.dataRows()), null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** @return the facts without the SHA-256, which the caller's stream computes */
	private static Facts scan(InputStream in, IngestProperties limits, Consumer<InspectedRow> rows)
			throws IOException {
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
		CsvScan scan = new CsvScan(limits, rows);
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
				throw new FileRefusedException("line " + scan.line() + ": the file is not UTF-8 text: byte 0x"
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
		return new Facts(null, scan.header(), scan.dataRows());
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

}
