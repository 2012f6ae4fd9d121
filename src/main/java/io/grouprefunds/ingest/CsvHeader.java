package io.grouprefunds.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.grouprefunds.ledger.LedgerEntry;

/**
 * The header line of a refund file: which column holds which field. Refuses a header a person got wrong with a
 * message that says how to fix it: a misspelt name gets a suggestion, a file separated by {@code ;} or tabs is named
 * as such.
 *
 * @param fields the header's names as written in the file
 * @param columns the known column names (lower case) and their positions
 */
public record CsvHeader(List<String> fields, Map<String, Integer> columns) {

	public static final List<String> REQUIRED_COLUMNS = List.of("request_id", "group_id", "amount", "currency");

	public static final List<String> OPTIONAL_COLUMNS = List.of("reason");

	/**
	 * Written by the rejected-rows report and ignored on reading, so that report can be fixed and run as it is.
	 */
	public static final String REJECTION_COLUMN = "rejection";

	private static final String EXPECTED = "the header must name request_id, group_id, amount, currency and "
			+ "optionally reason";

	/** Names people give these columns, and the column they mean. */
	private static final Map<String, String> SYNONYMS = Map.ofEntries(Map.entry("id", "request_id"),
			Map.entry("request", "request_id"), Map.entry("reference", "request_id"), Map.entry("ref", "request_id"),
			Map.entry("refundid", "request_id"), Map.entry("group", "group_id"), Map.entry("gp", "group_id"),
			Map.entry("grouppayment", "group_id"), Map.entry("grouppaymentid", "group_id"),
			Map.entry("refundamount", "amount"), Map.entry("value", "amount"), Map.entry("sum", "amount"),
			Map.entry("total", "amount"), Map.entry("ccy", "currency"), Map.entry("cur", "currency"),
			Map.entry("currencycode", "currency"), Map.entry("note", "reason"), Map.entry("notes", "reason"),
			Map.entry("comment", "reason"), Map.entry("description", "reason"), Map.entry("memo", "reason"));

	public CsvHeader {
		fields = List.copyOf(fields);
		columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
	}

	/**
	 * Checks a header line as parsed with commas.
	 * @throws FileRefusedException saying what is wrong with the header and how to fix it
	 */
	public static CsvHeader of(List<String> fields) {
		Optional<String> separator = otherSeparator(fields);
		if (separator.isPresent()) {
			throw new FileRefusedException("line 1: the file uses " + separator.get() + ", not a comma; "
					+ "save it as CSV with commas (in Excel: 'CSV UTF-8 (Comma delimited)')");
		}
		Map<String, Integer> found = new LinkedHashMap<>();
		List<Integer> unknown = new ArrayList<>();
		for (int i = 0; i < fields.size(); i++) {
			String name = normalise(fields.get(i));
			if (name.isEmpty()) {
				throw new FileRefusedException("header (line 1): column " + (i + 1) + " has no name"
						+ (i == fields.size() - 1 ? " (the header line ends with a comma)" : "") + "; " + EXPECTED);
			}
			Integer earlier = found.putIfAbsent(name, i);
			if (earlier != null) {
				throw new FileRefusedException("header (line 1): column '" + name + "' appears twice (columns "
						+ (earlier + 1) + " and " + (i + 1) + ")");
			}
			if (!isKnown(name)) {
				unknown.add(i);
			}
		}
		List<String> missing = REQUIRED_COLUMNS.stream().filter(name -> !found.containsKey(name)).toList();
		if (!missing.isEmpty() || !unknown.isEmpty()) {
			throw new FileRefusedException(describe(fields, found, missing, unknown));
		}
		Map<String, Integer> columns = new LinkedHashMap<>(found);
		columns.remove(REJECTION_COLUMN);
		return new CsvHeader(fields, columns);
	}

	/**
	 * Whether a row of this header with as many fields is given back exactly by {@link LedgerEntry#fieldsFromValues}
	 * from its five values: every column is one of the five (none is the {@link #REJECTION_COLUMN}, whose text is not
	 * kept as a value). Ingest then does not store such a row's fields a second time while it is READY.
	 */
	public boolean rowsRebuildFromValues() {
		return columns.size() == fields.size();
	}

	/** The position of a known column, or null when the file does not have it. */
	public Integer indexOf(String column) {
		return columns.get(column);
	}

	/** Whether a record's fields say the same as this header: the header line repeated further down. */
	public boolean isRepeatedBy(List<String> record) {
		if (record.size() != fields.size()) {
			return false;
		}
		for (int i = 0; i < record.size(); i++) {
			if (!normalise(record.get(i)).equals(normalise(fields.get(i)))) {
				return false;
			}
		}
		return true;
	}

	/** A header name as compared: no surrounding spaces (nor byte order mark), lower case. */
	static String normalise(String name) {
		return LedgerEntry.columnName(name);
	}

	private static boolean isKnown(String name) {
		return REQUIRED_COLUMNS.contains(name) || OPTIONAL_COLUMNS.contains(name) || REJECTION_COLUMN.equals(name);
	}

	private static String describe(List<String> fields, Map<String, Integer> found, List<String> missing,
			List<Integer> unknown) {
		List<String> absent = new ArrayList<>(missing);
		OPTIONAL_COLUMNS.stream().filter(name -> !found.containsKey(name)).forEach(absent::add);
		List<String> hints = new ArrayList<>();
		List<String> unexplained = new ArrayList<>();
		for (int index : unknown) {
			String written = fields.get(index).strip();
			Optional<String> meant = suggestion(written, absent);
			if (meant.isPresent()) {
				hints.add("unknown column '" + written + "' (column " + (index + 1) + "): did you mean '" + meant.get()
						+ "'?");
				absent.remove(meant.get());
			}
			else {
				unexplained.add("'" + written + "'");
			}
		}
		List<String> parts = new ArrayList<>();
		if (!missing.isEmpty()) {
			parts.add("missing column(s) " + String.join(", ", missing));
		}
		parts.addAll(hints);
		if (!unexplained.isEmpty()) {
			parts.add("unknown column(s) " + String.join(", ", unexplained));
		}
		String problems = String.join("; ", parts);
		return "header (line 1): " + problems + (problems.endsWith("?") ? " The " : ". The ") + EXPECTED.substring(4)
				+ ".";
	}

	/**
	 * The column a misspelt name most likely means, among those the header lacks: a known synonym, a name within a
	 * small edit distance, or one that contains the other ({@code amount_usd}).
	 */
	static Optional<String> suggestion(String written, List<String> candidates) {
		String typed = letters(written);
		if (typed.isEmpty()) {
			return Optional.empty();
		}
		String synonym = SYNONYMS.get(typed);
		if (synonym != null && candidates.contains(synonym)) {
			return Optional.of(synonym);
		}
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			String target = letters(candidate);
			int distance = distance(typed, target);
			boolean close = distance <= Math.max(2, target.length() / 3)
					|| (typed.length() >= 3 && (typed.contains(target) || target.contains(typed)));
			if (close && distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return Optional.ofNullable(best);
	}

	/** Letters and digits only, lower case: {@code Request-ID} and {@code request_id} compare equal. */
	private static String letters(String name) {
		return normalise(name).replaceAll("[^a-z0-9]", "");
	}

	/** Levenshtein distance. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/**
	 * A header read with commas that is really separated by something else: a field holds {@code ;}, a tab or
	 * {@code |}, and splitting on it gives the expected names.
	 */
	private static Optional<String> otherSeparator(List<String> fields) {
		for (String[] separator : new String[][] { { ";", "';' as separator (semicolon)" },
				{ "\t", "tabs as separator (tab-separated text)" }, { "|", "'|' as separator (pipe)" } }) {
			List<String> names = new ArrayList<>();
			boolean used = false;
			for (String field : fields) {
				used |= field.contains(separator[0]);
				for (String part : field.split(Pattern.quote(separator[0]), -1)) {
					names.add(normalise(part));
				}
			}
			if (used && (fields.size() == 1 || names.containsAll(REQUIRED_COLUMNS))) {
				return Optional.of(separator[1]);
			}
		}
		return Optional.empty();
	}

}
