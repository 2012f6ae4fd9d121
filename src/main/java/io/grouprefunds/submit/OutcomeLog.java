package io.grouprefunds.submit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.ledger.LedgerRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines of a recorded chunk: a row that did not succeed gets a line of its own, unless many in the chunk
 * ended the same way (an outage answers every request in flight alike), which then share one line naming their line
 * numbers. Every row's outcome is in the ledger and the result file either way.
 */
final class OutcomeLog {

	private static final Logger log = LoggerFactory.getLogger(OutcomeLog.class);

	/** More rows than this with the same status and error in one chunk share a line. */
	static final int ROWS_TOLD_ONE_BY_ONE = 3;

	void recorded(List<RowResult> answered) {
		Map<String, List<RowResult>> alike = new LinkedHashMap<>();
		for (RowResult result : answered) {
			SubmitOutcome outcome = result.outcome();
			LedgerRow row = result.claimed().row;
			if (outcome.status() == RowStatus.SUCCEEDED || outcome.status() == RowStatus.PENDING) {
				log.debug("line {} request {} group {}: {}{}", row.lineNumber(), row.requestId(), row.groupId(),
						outcome.status(), reference(outcome));
			}
			else {
				alike.computeIfAbsent(outcome.status() + " " + outcome.errorCode(), key -> new ArrayList<>())
					.add(result);
			}
		}
		for (List<RowResult> group : alike.values()) {
			group.sort(Comparator.comparingInt(result -> result.claimed().row.lineNumber()));
			if (group.size() <= ROWS_TOLD_ONE_BY_ONE) {
				group.forEach(result -> log.warn("{}", rowLine(result.claimed().row, result.outcome())));
			}
			else {
				log.warn("{}", sharedLine(group));
			}
		}
	}

	/** E.g. {@code line 7 request r-7 group gp_…: DECLINED AMOUNT_TOO_HIGH exceeds what is left (HTTP 400)}. */
	static String rowLine(LedgerRow row, SubmitOutcome outcome) {
		return "line " + row.lineNumber() + " request " + row.requestId() + " group " + row.groupId() + ": "
				+ outcome.status() + what(outcome) + reference(outcome);
	}

	/** E.g. {@code 16 rows UNKNOWN NO_RESPONSE (lines 41-56), e.g. line 41 request r-41: sent, no answer …}. */
	static String sharedLine(List<RowResult> group) {
		List<Integer> lines = group.stream().map(result -> result.claimed().row.lineNumber()).toList();
		RowResult first = group.get(0);
		SubmitOutcome outcome = first.outcome();
		String code = outcome.errorCode() == null ? "" : " " + outcome.errorCode();
		String message = outcome.errorMessage() == null ? "" : ": " + outcome.errorMessage();
		return group.size() + " rows " + outcome.status() + code + " (lines " + ranges(lines) + "), e.g. line "
				+ first.claimed().row.lineNumber() + " request " + first.claimed().row.requestId() + message
				+ reference(outcome);
	}

	/** Sorted line numbers as ranges: {@code 41-57, 59, 61-62}. */
	static String ranges(List<Integer> sorted) {
		StringBuilder text = new StringBuilder();
		int i = 0;
		while (i < sorted.size()) {
			int j = i;
			while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
				j++;
			}
			text.append(text.isEmpty() ? "" : ", ").append(sorted.get(i));
			if (j > i) {
				text.append('-').append(sorted.get(j));
			}
			i = j + 1;
		}
		return text.toString();
	}

	private static String what(SubmitOutcome outcome) {
		StringBuilder text = new StringBuilder();
		for (String part : new String[] { outcome.errorCode(), outcome.errorMessage() }) {
			if (part != null && !part.isBlank()) {
				text.append(' ').append(part.strip());
			}
		}
		return text.toString();
	}

	/** {@code (HTTP 503, operation op_1)} with only the parts the answer had; empty when it had none. */
	private static String reference(SubmitOutcome outcome) {
		List<String> parts = new ArrayList<>();
		if (outcome.httpStatus() != null) {
			parts.add("HTTP " + outcome.httpStatus());
		}
		if (outcome.operationId() != null && !outcome.operationId().isBlank()) {
			parts.add("operation " + outcome.operationId());
		}
		return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
	}

}
