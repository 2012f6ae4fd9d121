package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import io.grouprefunds.domain.Money;
import io.grouprefunds.sandbox.GroupPaymentView.PaymentRefund;
import io.grouprefunds.sandbox.GroupPaymentView.PaymentView;

/**
 * One group payment and what has been refunded from it. Its methods are synchronized, and a caller that must do more
 * in the same step (record the refund) holds the monitor too, so concurrent refunds can never over-refund.
 */
final class GroupPayment {

	private final String id;

	private final Currency currency;

	private final GroupStatus status;

	private final List<Payment> payments = new ArrayList<>();

	GroupPayment(String id, Currency currency, GroupStatus status, List<BigDecimal> amounts) {
		if (amounts.isEmpty()) {
			throw new IllegalArgumentException("group payment " + id + " has no payments");
		}
		this.id = id;
		this.currency = currency;
		this.status = status;
		for (int i = 0; i < amounts.size(); i++) {
			BigDecimal amount = new Money(amounts.get(i), currency).amount();
			if (amount.signum() <= 0) {
				throw new IllegalArgumentException("payment amounts of " + id + " must be positive: " + amount);
			}
			payments.add(new Payment(paymentId(id, i), amount));
		}
	}

	/** Stable payment ids, so a sandbox loaded twice from the same file shows the same ids. */
	private static String paymentId(String groupId, int index) {
		UUID uuid = UUID.nameUUIDFromBytes((groupId + "/" + index).getBytes(StandardCharsets.UTF_8));
		return "payment_" + uuid.toString().replace("-", "");
	}

	Currency currency() {
		return currency;
	}

	/**
	 * Applies a refund split over the payments.
	 * @param requested the amount asked for, or {@code null} for everything not yet refunded
	 * @return the amount refunded, at the currency's scale
	 * @throws RapydException when Rapyd would refuse it; then nothing is applied
	 */
	synchronized BigDecimal refund(BigDecimal requested) {
		if (status != GroupStatus.CLOSED) {
			throw RapydException.refused("ERROR_CREATE_REFUND", "group payment is not closed");
		}
		int scale = Money.decimalsOf(currency);
		if (requested != null) {
			if (requested.signum() <= 0) {
				throw RapydException.refused("ERROR_CREATE_REFUND",
						"amount must be greater than 0: " + requested.toPlainString());
			}
			if (requested.stripTrailingZeros().scale() > scale) {
				throw RapydException.refused("ERROR_CREATE_REFUND", "amount " + requested.toPlainString()
						+ " has more decimals than " + currency + " allows (" + scale + ")");
			}
		}
		List<BigDecimal> remaining = payments.stream().map(Payment::remaining).toList();
		BigDecimal refundable = remaining.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
		if (refundable.signum() == 0) {
			throw RapydException.refused("ERROR_CREATE_REFUND_EWALLET_ALREADY_FULLY_REFUNDED",
					"group payment is already fully refunded");
		}
		BigDecimal amount = (requested != null) ? requested.setScale(scale) : refundable;
		if (amount.compareTo(refundable) > 0) {
			throw RapydException.refused("ERROR_CREATE_REFUND", "amount " + compact(amount)
					+ " exceeds the refundable amount " + compact(refundable) + " " + currency);
		}
		List<BigDecimal> parts = RefundSplit.split(amount, payments.stream().map(Payment::amount).toList(), remaining,
				scale);
		for (int i = 0; i < parts.size(); i++) {
			payments.get(i).refund(parts.get(i));
		}
		return amount;
	}

	synchronized BigDecimal refundedAmount() {
		return payments.stream().map(Payment::refunded).reduce(BigDecimal.ZERO, BigDecimal::add);
	}

	synchronized GroupPaymentView view() {
		List<PaymentView> views = payments.stream()
			.map((payment) -> new PaymentView(payment.id, payment.amount, payment.refunded,
					List.copyOf(payment.refunds)))
			.toList();
		BigDecimal total = payments.stream().map(Payment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
		return new GroupPaymentView(id, total, currency, status, views);
	}

	private static String compact(BigDecimal amount) {
		return amount.stripTrailingZeros().toPlainString();
	}

	/** One payment of the group; only touched under the group's monitor. */
	private static final class Payment {

		private final String id;

		private final BigDecimal amount;

		private BigDecimal refunded;

		private final List<PaymentRefund> refunds = new ArrayList<>();

		Payment(String id, BigDecimal amount) {
			this.id = id;
			this.amount = amount;
			this.refunded = BigDecimal.ZERO.setScale(amount.scale());
		}

		BigDecimal amount() {
			return amount;
		}

		BigDecimal refunded() {
			return refunded;
		}

		BigDecimal remaining() {
			return amount.subtract(refunded);
		}

		void refund(BigDecimal part) {
			if (part.signum() > 0) {
				refunded = refunded.add(part);
				refunds.add(new PaymentRefund("refund_" + UUID.randomUUID().toString().replace("-", ""), part));
			}
		}

	}

}
