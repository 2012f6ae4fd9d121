package io.grouprefunds.ingest;

import java.util.List;

/**
 * One data row of the refund file, as text, with the line it starts on. Fields are null when the column is absent
 * from the file (only {@code reason} may be).
 *
 * @param shapeProblem set when the row's number of fields differs from the header's
 * @param fields every field of the row exactly as written, in the file's column order (what the rejected-rows report
 * gives back to the operator)
 * @param fieldsFromValues whether {@link io.grouprefunds.ledger.LedgerEntry#fieldsFromValues} gives {@code fields}
 * back from the row's values (the header has only the five columns and the row as many fields)
 */
public record CsvRecord(int lineNumber, String requestId, String groupId, String amount, String currency,
		String reason, String shapeProblem, List<String> fields, boolean fieldsFromValues) {

	public CsvRecord {
		fields = fields == null ? List.of() : List.copyOf(fields);
	}

	/** A row built from its values alone (tests, other sources): the fields as written are not known. */
	public CsvRecord(int lineNumber, String requestId, String groupId, String amount, String currency, String reason,
			String shapeProblem) {
		this(lineNumber, requestId, groupId, amount, currency, reason, shapeProblem, List.of(), false);
	}

	/** A row with its fields as written, stored whatever its status. */
	public CsvRecord(int lineNumber, String requestId, String groupId, String amount, String currency, String reason,
			String shapeProblem, List<String> fields) {
		this(lineNumber, requestId, groupId, amount, currency, reason, shapeProblem, fields, false);
	}

}
