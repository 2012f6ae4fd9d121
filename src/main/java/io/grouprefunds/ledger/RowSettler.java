package io.grouprefunds.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.Settlement;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Settles one row from what the provider shows now, in the caller's transaction: its parts are updated (and, when it
 * owns none, attributed), then its status is the rule's reading of them. A settled row keeps no error text or
 * evidence from an earlier attempt; a DECLINED or DISCREPANCY row gets the provider's statuses and what happened.
 */
final class RowSettler {

	private RowSettler() {
	}

	private record Row(String provider, BigDecimal amount, String currency, RowStatus status) {
	}

	static Optional<RowChange> settle(JdbcTemplate jdbc, Duration clockSkew, long rowId, Collection<RowStatus> from,
			List<RefundPart> seen, String providerCurrency, Settlement withoutParts, String evidence) {
		String[] fromNames = from.stream().map(Enum::name).toArray(String[]::new);
		List<Row> locked = jdbc.query("SELECT provider, amount, currency, status FROM refund_row WHERE row_id = ? "
				+ "AND status = ANY (?) FOR UPDATE", (rs, n) -> new Row(rs.getString(1), rs.getBigDecimal(2),
						rs.getString(3), RowStatus.valueOf(rs.getString(4))), rowId, fromNames);
		if (locked.isEmpty()) {
			return Optional.empty(); // moved on meanwhile (another process settled or sent it)
		}
		Row row = locked.get(0);
		Map<String, RefundPart> before = byId(RefundParts.of(jdbc, List.of(rowId)).getOrDefault(rowId, List.of()));
		RefundParts.apply(jdbc, row.provider(), seen.stream().map(p -> new RefundParts.Offer(rowId, p)).toList(),
				clockSkew, List.of(fromNames));
		List<RefundPart> owned = RefundParts.of(jdbc, List.of(rowId)).getOrDefault(rowId, List.of());
		Settlement settlement = owned.isEmpty() && withoutParts != null ? withoutParts
				: Settlement.of(owned, row.amount(), row.currency(), providerCurrency);
		List<RowChange.PartChange> changes = new ArrayList<>();
		for (RefundPart part : owned) {
			RefundPart earlier = before.get(part.partId());
			if (earlier == null || !earlier.status().equals(part.status())) {
				changes.add(new RowChange.PartChange(part.partId(), earlier == null ? null : earlier.status(),
						part.status(), part.updatedAt() != null ? part.updatedAt() : part.createdAt()));
			}
		}
		boolean settled = settlement.status() == RowStatus.SUCCEEDED || settlement.status() == RowStatus.PENDING;
		jdbc.update("UPDATE refund_row SET status = ?, provider_refund_status = COALESCE(?, provider_refund_status), "
				+ "provider_error_code = CASE WHEN ? THEN NULL ELSE provider_error_code END, "
				+ "provider_error_message = CASE WHEN ? THEN ? ELSE COALESCE(?, provider_error_message) END, "
				+ "http_status = CASE WHEN ? THEN NULL ELSE http_status END, "
				+ "refunded_amount = ?, refunded_currency = ?, evidence = ?, last_checked_at = now(), "
				+ "finished_at = CASE WHEN ? THEN COALESCE(finished_at, now()) END WHERE row_id = ?",
				settlement.status().name(), settlement.refundStatus(), settled || settlement.message() != null,
				settled, settlement.message(), settlement.message(), settled, settlement.refundedAmount(),
				settlement.refundedCurrency(), evidence, RowStatus.FINAL.contains(settlement.status()), rowId);
		return Optional.of(new RowChange(rowId, row.status(), settlement, changes));
	}

	/** The offered parts nobody owns yet that would fall in this row's time window: the row's own, if it was applied. */
	static List<RefundPart> unowned(JdbcTemplate jdbc, Duration clockSkew, long rowId, String provider,
			List<RefundPart> seen) {
		if (seen.isEmpty()) {
			return List.of();
		}
		List<String> owned = jdbc.queryForList("SELECT provider_part_id FROM refund_part WHERE provider = ? "
				+ "AND provider_part_id = ANY (?)", String.class, provider,
				seen.stream().map(RefundPart::partId).toArray(String[]::new));
		java.time.Instant sentAt = jdbc.queryForObject("SELECT sent_at FROM refund_row WHERE row_id = ?",
				(rs, n) -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant(), rowId);
		return seen.stream()
			.filter(p -> !owned.contains(p.partId()))
			.filter(p -> p.createdAt() == null || sentAt == null || !p.createdAt().isBefore(sentAt.minus(clockSkew)))
			.toList();
	}

	private static Map<String, RefundPart> byId(List<RefundPart> parts) {
		return parts.stream().collect(Collectors.toMap(RefundPart::partId, Function.identity(), (a, b) -> a));
	}

}
