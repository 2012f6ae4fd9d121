package io.grouprefunds.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a sandbox seed file (each provider's groups): a header line, then one item per non-blank line. The formats
 * have no quoting, so each provider's plain split is enough.
 */
public final class SandboxCsv {

	private SandboxCsv() {
	}

	/**
	 * @param header what the first line must be (a BOM and spaces aside)
	 * @param parseLine reads one line; its {@link IllegalArgumentException} is reported with the file and line
	 * @throws IllegalArgumentException naming the file and line of the first bad line
	 */
	public static <T> List<T> read(Path csv, String header, Function<String, T> parseLine) {
		List<String> lines;
		try {
			lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + csv, ex);
		}
		if (lines.isEmpty() || !lines.get(0).replace("\uFEFF", "").strip().equals(header)) {
			throw new IllegalArgumentException(csv + ": the first line must be '" + header + "'");
		}
		List<T> rows = new ArrayList<>();
		for (int i = 1; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (!line.isEmpty()) {
				try {
					rows.add(parseLine.apply(line));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(csv + " line " + (i + 1) + ": " + ex.getMessage(), ex);
				}
			}
		}
		return rows;
	}

}
