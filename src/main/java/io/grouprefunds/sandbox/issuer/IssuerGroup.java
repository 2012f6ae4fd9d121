package io.grouprefunds.sandbox.issuer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import io.grouprefunds.domain.Money;
import io.grouprefunds.sandbox.SimulatedRefund;

/**
 * One funding group of the card issuer: its balance and the refund parts taken out of it. A refund takes money back
 * out of the group, so it can never exceed the balance; a part that fails later ("2") gives its amount back. Callers
 * hold the monitor from the check to the record.
 */
final class IssuerGroup {

	private final String companyId;

	private final String groupId;

	private final Currency currency;

	private final BigDecimal initialBalance;

	/** Every part taken out of it, whatever its status. */
	private final List<SimulatedRefund> parts = new ArrayList<>();

	IssuerGroup(String companyId, String groupId, Currency currency, BigDecimal balance) {
		this.companyId = companyId;
		this.groupId = groupId;
		this.currency = currency;
		this.initialBalance = new Money(balance, currency).amount();
	}

	String companyId() {
		return companyId;
	}

	String groupId() {
		return groupId;
	}

	Currency currency() {
		return currency;
	}

	/** @throws IssuerException when the amount is more than the balance */
	synchronized void check(BigDecimal amount) {
		BigDecimal balance = balance();
		if (amount.compareTo(balance) > 0) {
			throw new IssuerException(IssuerException.INSUFFICIENT_BALANCE, "Insufficient group balance: "
					+ balance.toPlainString() + " " + currency + " available", "分组余额不足");
		}
	}

	/** Adds a part; the caller holds the monitor since {@link #check}. */
	synchronized void addPart(SimulatedRefund part) {
		parts.add(part);
	}

	synchronized View view() {
		return new View(companyId, groupId, currency, balance(), refunded());
	}

	/** What the Pending and Completed parts hold. */
	private BigDecimal refunded() {
		return parts.stream()
			.filter(SimulatedRefund::holdsMoney)
			.map(SimulatedRefund::amount)
			.reduce(BigDecimal.ZERO.setScale(initialBalance.scale()), BigDecimal::add);
	}

	private BigDecimal balance() {
		return initialBalance.subtract(refunded());
	}

	/** A consistent snapshot of the group. */
	record View(String companyId, String groupId, Currency currency, BigDecimal balance, BigDecimal refunded) {
	}

}
