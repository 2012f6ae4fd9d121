package io.grouprefunds.ingest;

import java.util.List;

/**
 * A data row as the file inspection saw it, for checks over the whole file that must not cost a read of their own
 * (which provider the group ids fit).
 *
 * @param lineNumber the line the record starts on, as the CSV reader numbers it
 * @param header the file's header
 * @param fields the record's fields, unquoted
 */
public record InspectedRow(int lineNumber, CsvHeader header, List<String> fields) {

	/** The field of a column: empty when the row is short, null when the header has no such column. */
	public String field(String column) {
		Integer index = header.indexOf(column);
		if (index == null) {
			return null;
		}
		return index < fields.size() ? fields.get(index) : "";
	}

}
