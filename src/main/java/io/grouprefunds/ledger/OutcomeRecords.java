package io.grouprefunds.ledger;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.Settlement;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.ledger.Ledger.RecordedOutcome;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Records a group of answers in the caller's transaction: first the refund parts of the accepted ones (attributed to
 * their rows, see {@link RefundParts}), then every row's status in one statement. An accepted row's status is the
 * rule's reading of the parts it owns ({@link Settlement}), not the adapter's provisional one.
 */
final class OutcomeRecords {

	private OutcomeRecords() {
	}

	private record Facts(String provider, BigDecimal amount, String currency) {
	}

	/**
	 * @return what was recorded for each row: for an accepted answer the status, refund status and message the
	 * rule read from the parts the row owns, which may differ from the adapter's provisional outcome
	 */
	static Map<Long, SubmitOutcome> record(JdbcTemplate jdbc, List<RecordedOutcome> outcomes, Duration clockSkew) {
		Map<Long, SubmitOutcome> recorded = new HashMap<>();
		Map<Long, Facts> facts = new HashMap<>();
		Map<Long, List<RefundPart>> owned = Map.of();
		List<RecordedOutcome> accepted = outcomes.stream().filter(r -> r.outcome().accepted()).toList();
		if (!accepted.isEmpty()) {
			jdbc.query("SELECT row_id, provider, amount, currency FROM refund_row WHERE row_id = ANY (?)",
					(ResultSet rs) -> {
						facts.put(rs.getLong(1), new Facts(rs.getString(2), rs.getBigDecimal(3), rs.getString(4)));
					}, (Object) accepted.stream().map(RecordedOutcome::rowId).toArray(Long[]::new));
			// Rows of one group were sent one after the other, in line (and row id) order: a later answer lists the
			// earlier rows' parts too, so each part is offered to the earliest row whose answer shows it.
			Map<String, List<RefundParts.Offer>> offers = new HashMap<>();
			Set<String> offered = new HashSet<>();
			accepted.stream().sorted(Comparator.comparingLong(RecordedOutcome::rowId)).forEach(r -> {
				Facts row = facts.get(r.rowId());
				for (RefundPart part : r.outcome().parts()) {
					if (row != null && offered.add(row.provider() + "/" + part.partId())) {
						offers.computeIfAbsent(row.provider(), k -> new ArrayList<>())
							.add(new RefundParts.Offer(r.rowId(), part));
					}
				}
			});
			offers.forEach((provider, list) -> RefundParts.apply(jdbc, provider, list, clockSkew, List.of("SENDING")));
			owned = RefundParts.of(jdbc, accepted.stream().map(RecordedOutcome::rowId).toList());
		}
		int n = outcomes.size();
		Long[] rowIds = new Long[n];
		String[] statuses = new String[n];
		String[] operationIds = new String[n];
		String[] refundStatuses = new String[n];
		String[] errorCodes = new String[n];
		String[] errorMessages = new String[n];
		Integer[] httpStatuses = new Integer[n];
		Boolean[] finals = new Boolean[n];
		Boolean[] counted = new Boolean[n];
		String[] refunded = new String[n];
		String[] refundedCurrencies = new String[n];
		for (int i = 0; i < n; i++) {
			RecordedOutcome r = outcomes.get(i);
			SubmitOutcome o = r.outcome();
			rowIds[i] = r.rowId();
			counted[i] = r.claimCounted();
			operationIds[i] = o.operationId();
			httpStatuses[i] = o.httpStatus();
			RowStatus status = o.status();
			refundStatuses[i] = o.refundStatus();
			errorCodes[i] = o.errorCode();
			errorMessages[i] = o.errorMessage();
			Facts row = facts.get(r.rowId());
			if (o.accepted() && row != null) {
				Settlement settlement = Settlement.of(owned.getOrDefault(r.rowId(), List.of()), row.amount(),
						row.currency(), o.providerCurrency());
				status = settlement.status();
				refundStatuses[i] = settlement.refundStatus();
				errorCodes[i] = null;
				errorMessages[i] = settlement.message();
				refunded[i] = settlement.refundedAmount().toPlainString();
				refundedCurrencies[i] = settlement.refundedCurrency();
			}
			else if (status == RowStatus.DECLINED) {
				refunded[i] = "0"; // refused at once: nothing went through
			}
			statuses[i] = status.name();
			finals[i] = RowStatus.FINAL.contains(status);
			recorded.put(r.rowId(), new SubmitOutcome(status, o.retry(), o.retryAfter(), o.httpStatus(),
					o.operationId(), refundStatuses[i], errorCodes[i], errorMessages[i], o.accepted(), o.parts(),
					o.providerCurrency()));
		}
		// A new answer replaces everything an earlier attempt left (error text, reconciliation evidence).
		// attempts: as the claim counted them in the common case (one claim, one answer that counts), which spares the
		// recount of the row's attempt rows (a subquery per row: 0.25 ms a chunk of 100, measured on the server)
		jdbc.update("UPDATE refund_row r SET status = v.status, attempts = CASE WHEN v.counted THEN r.attempts "
				+ "ELSE " + AttemptLog.ATTEMPTS_OF_ROW + " END, "
				+ "provider_operation_id = COALESCE(v.operation_id, r.provider_operation_id), "
				+ "provider_refund_status = v.refund_status, provider_error_code = v.error_code, "
				+ "provider_error_message = v.error_message, http_status = v.http_status, evidence = NULL, "
				+ "refunded_amount = v.refunded, refunded_currency = COALESCE(v.refunded_currency, CASE WHEN "
				+ "v.refunded IS NOT NULL THEN r.currency END), last_checked_at = now(), "
				+ "finished_at = CASE WHEN v.final THEN now() END "
				+ "FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], "
				+ "?::boolean[], ?::numeric[], ?::text[], ?::boolean[]) AS v(row_id, status, operation_id, "
				+ "refund_status, error_code, error_message, http_status, final, refunded, refunded_currency, counted) "
				+ "WHERE r.row_id = v.row_id AND r.status = 'SENDING'", rowIds, statuses, operationIds,
				refundStatuses, errorCodes, errorMessages, httpStatuses, finals, refunded, refundedCurrencies, counted);
		return recorded;
	}

}
