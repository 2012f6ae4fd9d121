package io.grouprefunds.reconcile;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The follow-up of accepted refunds ({@code refunds.reconcile.*}).
 *
 * @param maxAge {@code reconcile} without a batch follows the open rows (SENDING, UNKNOWN, PENDING) created within
 * this; older ones are listed for a person (a refund pending that long is not going to settle by itself)
 * @param clockSkew how much earlier than a row's claim the provider's clock may date the refund objects its request
 * created (read by the ledger's attribution too)
 * @param maxFailedQueries after this many provider queries in a row fail, {@code reconcile} stops asking that
 * provider (it is down or refusing) and says so; nothing is decided on a failed query
 */
@ConfigurationProperties("refunds.reconcile")
public record ReconcileProperties(@DefaultValue("30d") Duration maxAge, @DefaultValue("5m") Duration clockSkew,
		@DefaultValue("5") int maxFailedQueries) {

	public ReconcileProperties {
		if (maxAge.isNegative() || maxAge.isZero()) {
			throw new IllegalArgumentException("refunds.reconcile.max-age must be positive (it was " + maxAge + ")");
		}
		if (clockSkew.isNegative()) {
			throw new IllegalArgumentException("refunds.reconcile.clock-skew may not be negative");
		}
		if (maxFailedQueries < 1) {
			throw new IllegalArgumentException("refunds.reconcile.max-failed-queries must be at least 1");
		}
	}

}
