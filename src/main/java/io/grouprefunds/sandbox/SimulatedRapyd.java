package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Currency;
import java.util.List;

/** The simulated Rapyd, as tests seed it: group payments of closed or active status. */
public interface SimulatedRapyd extends SimulatedProvider {

	/**
	 * Adds a group payment.
	 * @param status {@code "closed"} (refundable) or {@code "active"}
	 * @param paymentAmounts the amounts of its payments, each with at most the currency's decimals
	 */
	void addGroupPayment(String id, Currency currency, String status, List<BigDecimal> paymentAmounts);

	/** Adds the group payments of a file {@code group_payment,currency,status,payments} (payments split by ;). */
	void loadGroupPayments(Path csv);

	/**
	 * Adds {@code count} closed USD group payments of one 100.00 payment each, named {@code gp_} and the number
	 * 1..count in 32 hex digits ({@code gp_00…01}): what the load tests and the benchmark refund from.
	 */
	void addGeneratedGroupPayments(int count);

}
