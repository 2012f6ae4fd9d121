package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.util.Currency;

/** The simulated card issuer, as tests seed it: funding groups of a company, with balances. */
public interface SimulatedIssuer extends SimulatedProvider {

	/** Adds a funding group of a company with its balance, at most the currency's decimals. */
	void addGroup(String companyId, String groupId, Currency currency, BigDecimal balance);

	/** What the group has left: its balance less what its Pending and Completed refunds hold. */
	BigDecimal balance(String groupId);

	/**
	 * Whether a repeated {@code request_id} gets the first answer instead of a second refund. Off by default: the
	 * issuer does not document deduplication, so the job must never count on it.
	 */
	void setDeduplicateRequestIds(boolean deduplicate);

}
