package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.util.Currency;

import io.grouprefunds.domain.Money;

/**
 * One funding group of the card issuer: its balance and what has been refunded out of it. A refund takes money
 * back out of the group, so it can never exceed the balance. Callers hold the monitor from the check to the record.
 */
final class IssuerGroup {

	private final String companyId;

	private final String groupId;

	private final Currency currency;

	private BigDecimal balance;

	private BigDecimal refunded;

	IssuerGroup(String companyId, String groupId, Currency currency, BigDecimal balance) {
		this.companyId = companyId;
		this.groupId = groupId;
		this.currency = currency;
		this.balance = new Money(balance, currency).amount();
		this.refunded = BigDecimal.ZERO.setScale(this.balance.scale());
	}

	String companyId() {
		return companyId;
	}

	Currency currency() {
		return currency;
	}

	/** @throws IssuerException when the amount is more than the balance; then nothing changes */
	synchronized void refund(BigDecimal amount) {
		if (amount.compareTo(balance) > 0) {
			throw new IssuerException(IssuerException.INSUFFICIENT_BALANCE, "Insufficient group balance: "
					+ balance.toPlainString() + " " + currency + " available", "分组余额不足");
		}
		balance = balance.subtract(amount);
		refunded = refunded.add(amount);
	}

	synchronized View view() {
		return new View(companyId, groupId, currency, balance, refunded);
	}

	/** A consistent snapshot of the group. */
	record View(String companyId, String groupId, Currency currency, BigDecimal balance, BigDecimal refunded) {
	}

}
