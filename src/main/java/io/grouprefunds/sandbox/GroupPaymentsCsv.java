package io.grouprefunds.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.function.Function;

import io.grouprefunds.domain.Money;

/**
 * Reads the sandbox's group payments file: {@code group_payment,currency,status,payments}, the payments' amounts
 * separated by {@code ;}. The format has no quoting, so a plain split is enough. The other sandbox seed files are
 * read the same way ({@link #read(Path, String, Function)}).
 */
final class GroupPaymentsCsv {

	private static final String HEADER = "group_payment,currency,status,payments";

	private GroupPaymentsCsv() {
	}

	/** One line of the file. */
	record Row(String id, Currency currency, String status, List<BigDecimal> amounts) {
	}

	/** @throws IllegalArgumentException naming the file and line of the first bad line */
	static List<Row> read(Path csv) {
		return read(csv, HEADER, GroupPaymentsCsv::parse);
	}

	/**
	 * Reads a sandbox seed file: a header line that must be {@code header}, then one item per non-blank line.
	 * @throws IllegalArgumentException naming the file and line of the first bad line
	 */
	static <T> List<T> read(Path csv, String header, Function<String, T> parseLine) {
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

	private static Row parse(String line) {
		String[] fields = line.split(",", -1);
		if (fields.length != 4) {
			throw new IllegalArgumentException("expected 4 fields, found " + fields.length);
		}
		Currency currency = Currency.getInstance(fields[1].strip());
		List<BigDecimal> amounts = Arrays.stream(fields[3].split(";", -1))
			.map((amount) -> Money.parse(amount.strip(), currency).amount())
			.toList();
		return new Row(fields[0].strip(), currency, fields[2].strip(), amounts);
	}

}
