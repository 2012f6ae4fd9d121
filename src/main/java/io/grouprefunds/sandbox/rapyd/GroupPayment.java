package io.grouprefunds.sandbox.rapyd;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import io.grouprefunds.domain.Money;
import io.grouprefunds.sandbox.RefundPart;
import io.grouprefunds.sandbox.SimulatedRefund;

/**
 * One group payment and the refund parts taken from its payments. Its methods are synchronized, and a caller that
 * must do more in the same step (split, record, add the parts) holds the monitor too, so concurrent refunds can never
 * over-refund. A payment's refunded amount is what its Pending and Completed parts hold: a Rejected part gives its
 * amount back by changing status, an Error part never took it.
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

	String id() {
		return id;
	}

	String paymentId(int index) {
		return payments.get(index).id;
	}

	/**
	 * Checks a refund and splits it over the payments, applying nothing: the caller adds the parts.
	 * @param requested the amount asked for, or {@code null} for everything not yet refunded
	 * @return the amount refunded, at the currency's scale, and each payment's share of it (zero for some)
	 * @throws RapydException when Rapyd would refuse it
	 */
	synchronized Split split(BigDecimal requested) {
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
		return new Split(amount, parts);
	}

	/** Adds a part taken from payment {@code index}; the caller holds the monitor since {@link #split}. */
	synchronized void addPart(int index, SimulatedRefund part) {
		payments.get(index).parts.add(part);
	}

	synchronized BigDecimal refundedAmount() {
		return payments.stream().map(Payment::refunded).reduce(BigDecimal.ZERO, BigDecimal::add);
	}

	synchronized View view() {
		List<PaymentView> views = payments.stream()
			.map((payment) -> new PaymentView(payment.id, payment.amount, payment.refunded(),
					payment.parts.stream().map(SimulatedRefund::snapshot).toList()))
			.toList();
		BigDecimal total = payments.stream().map(Payment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
		return new View(id, total, currency, status, views);
	}

	private static String compact(BigDecimal amount) {
		return amount.stripTrailingZeros().toPlainString();
	}

	/** An immutable snapshot of a group payment, taken under its lock so an answer shows one consistent state. */
	record View(String id, BigDecimal amount, Currency currency, GroupStatus status, List<PaymentView> payments) {
	}

	/**
	 * @param refundedAmount what its Pending and Completed parts hold
	 * @param refunds every part refunded from it, earlier ones too, with its status now
	 */
	record PaymentView(String id, BigDecimal amount, BigDecimal refundedAmount, List<RefundPart> refunds) {
	}

	/** A refund checked and split: its amount and each payment's part, in the payments' order. */
	record Split(BigDecimal amount, List<BigDecimal> parts) {
	}

	/** One payment of the group; only touched under the group's monitor. */
	private static final class Payment {

		private final String id;

		private final BigDecimal amount;

		/** Every part refunded from it, earlier ones too, whatever their status. */
		private final List<SimulatedRefund> parts = new ArrayList<>();

		Payment(String id, BigDecimal amount) {
			this.id = id;
			this.amount = amount;
		}

		BigDecimal amount() {
			return amount;
		}

		BigDecimal refunded() {
			return parts.stream()
				.filter(SimulatedRefund::holdsMoney)
				.map(SimulatedRefund::amount)
				.reduce(BigDecimal.ZERO.setScale(amount.scale()), BigDecimal::add);
		}

		BigDecimal remaining() {
			return amount.subtract(refunded());
		}

	}

}
