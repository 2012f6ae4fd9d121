package io.grouprefunds.ingest;

/**
 * One data row of the refund file, as text, with the line it starts on. Fields are null when the column is absent
 * from the file (only {@code reason} may be).
 *
 * @param shapeProblem set when the row's number of fields differs from the header's
 */
public record CsvRecord(int lineNumber, String requestId, String groupId, String amount, String currency,
		String reason, String shapeProblem) {
}
