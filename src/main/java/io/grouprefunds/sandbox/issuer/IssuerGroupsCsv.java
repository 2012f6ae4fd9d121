package io.grouprefunds.sandbox.issuer;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Currency;
import java.util.List;

import io.grouprefunds.domain.Money;
import io.grouprefunds.sandbox.SandboxCsv;

/** Reads the sandbox's card issuer groups file: {@code company_id,group_id,currency,balance}. */
final class IssuerGroupsCsv {

	private static final String HEADER = "company_id,group_id,currency,balance";

	private IssuerGroupsCsv() {
	}

	/** One line of the file. */
	record Row(String companyId, String groupId, Currency currency, BigDecimal balance) {
	}

	/** @throws IllegalArgumentException naming the file and line of the first bad line */
	static List<Row> read(Path csv) {
		return SandboxCsv.read(csv, HEADER, IssuerGroupsCsv::parse);
	}

	private static Row parse(String line) {
		String[] fields = line.split(",", -1);
		if (fields.length != 4) {
			throw new IllegalArgumentException("expected 4 fields, found " + fields.length);
		}
		Currency currency = Currency.getInstance(fields[2].strip());
		return new Row(fields[0].strip(), fields[1].strip(), currency,
				Money.parse(fields[3].strip(), currency).amount());
	}

}
