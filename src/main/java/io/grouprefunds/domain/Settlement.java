package io.grouprefunds.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The part-status rule: what a row's status is, given the refund parts its own request created. The one place where
 * that is decided, for every provider, at the first answer and at each reconcile.
 *
 * <ul>
 * <li>no part known yet, or any part not final: PENDING;</li>
 * <li>every part Completed, in the row's currency, adding up to the row's amount (any total for a whole-group row):
 * SUCCEEDED;</li>
 * <li>every part failed (Rejected, Error, Cancelled): DECLINED, with the provider's statuses and reasons;</li>
 * <li>otherwise the provider moved money, but not what the row asked (parts ended differently, another currency,
 * another total): DISCREPANCY, for a person.</li>
 * </ul>
 *
 * @param refundedAmount what went through (the Completed parts), at the currency's scale
 * @param refundedCurrency the currency the provider refunded in
 * @param refundStatus the parts' own statuses, distinct, in order ({@code Completed}, {@code Completed,Rejected})
 * @param message for DECLINED and DISCREPANCY: what happened, for the operator; null otherwise
 */
public record Settlement(RowStatus status, BigDecimal refundedAmount, String refundedCurrency, String refundStatus,
		String message) {

	/**
	 * @param rowAmount null for a whole-group refund
	 * @param providerCurrency the currency the provider says the group is in; null when it did not say
	 */
	public static Settlement of(List<RefundPart> parts, BigDecimal rowAmount, String rowCurrency,
			String providerCurrency) {
		String currency = providerCurrency != null ? providerCurrency
				: parts.stream().map(RefundPart::currency).filter(c -> c != null).findFirst().orElse(rowCurrency);
		BigDecimal completed = BigDecimal.ZERO;
		BigDecimal failed = BigDecimal.ZERO;
		int pending = 0;
		int failures = 0;
		Set<String> statuses = new LinkedHashSet<>();
		List<String> failedParts = new ArrayList<>();
		for (RefundPart part : parts) {
			statuses.add(part.status());
			BigDecimal amount = part.amount() == null ? BigDecimal.ZERO : part.amount();
			switch (part.state()) {
				case COMPLETED -> completed = completed.add(amount);
				case FAILED -> {
					failed = failed.add(amount);
					failures++;
					failedParts.add(part.partId() + " " + part.status()
							+ (part.failureReason() == null || part.failureReason().isBlank() ? ""
									: ": " + part.failureReason()));
				}
				case PENDING -> pending++;
			}
		}
		BigDecimal refunded = scaled(completed, currency);
		String refundStatus = statuses.isEmpty() ? null : String.join(",", statuses);
		if (parts.isEmpty() || pending > 0) {
			return new Settlement(RowStatus.PENDING, refunded, currency, refundStatus, null);
		}
		if (failures == parts.size()) {
			return new Settlement(RowStatus.DECLINED, refunded, currency, refundStatus,
					"the provider did not refund: " + String.join("; ", failedParts));
		}
		boolean otherCurrency = !currency.equals(rowCurrency);
		if (failures > 0) {
			return new Settlement(RowStatus.DISCREPANCY, refunded, currency, refundStatus,
					"parts ended differently: " + plain(refunded) + " " + currency + " went through, "
							+ plain(scaled(failed, currency)) + " did not (" + String.join("; ", failedParts) + ")"
							+ (otherCurrency ? "; the row asked for " + rowCurrency : ""));
		}
		if (otherCurrency) {
			return new Settlement(RowStatus.DISCREPANCY, refunded, currency, refundStatus, "the provider refunded "
					+ plain(refunded) + " " + currency + "; the row asked for " + rowCurrency);
		}
		if (rowAmount != null && refunded.compareTo(rowAmount) != 0) {
			return new Settlement(RowStatus.DISCREPANCY, refunded, currency, refundStatus, "the provider refunded "
					+ plain(refunded) + " " + currency + " in " + parts.size() + " part(s); the row asked for "
					+ plain(scaled(rowAmount, currency)));
		}
		return new Settlement(RowStatus.SUCCEEDED, refunded, currency, refundStatus, null);
	}

	/** At the currency's decimals when it has fewer; never rounded. */
	static BigDecimal scaled(BigDecimal amount, String currencyCode) {
		try {
			int digits = Money.decimalsOf(Currency.getInstance(currencyCode));
			return amount.scale() < digits ? amount.setScale(digits) : amount;
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			return amount;
		}
	}

	private static String plain(BigDecimal amount) {
		return amount.toPlainString();
	}

}
