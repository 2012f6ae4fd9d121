package io.grouprefunds.sandbox.rapyd;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;

import io.grouprefunds.domain.Money;
import io.grouprefunds.sandbox.SandboxCsv;

/**
 * Reads the sandbox's Rapyd groups file: {@code group_payment,currency,status,payments}, the payments' amounts
 * separated by {@code ;}.
 */
final class RapydGroupsCsv {

	private static final String HEADER = "group_payment,currency,status,payments";

	private RapydGroupsCsv() {
	}

	/** One line of the file. */
	record Row(String id, Currency currency, String status, List<BigDecimal> amounts) {
	}

	/** @throws IllegalArgumentException naming the file and line of the first bad line */
	static List<Row> read(Path csv) {
		return SandboxCsv.read(csv, HEADER, RapydGroupsCsv::parse);
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
