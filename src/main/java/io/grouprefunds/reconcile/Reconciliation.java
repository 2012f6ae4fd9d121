package io.grouprefunds.reconcile;

import io.grouprefunds.throttle.Throttle;

import java.time.Duration;

import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.provider.RefundProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Settles one maybe-sent row by asking the provider about its group ({@link Reconciler} decides) and records the
 * decision with its evidence. A query that fails leaves the row UNKNOWN: never resent on a guess.
 */
public class Reconciliation {

	private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

	private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);

	private final Ledger ledger;

	private final Throttle throttle;

	public Reconciliation(Ledger ledger, Throttle throttle) {
		this.ledger = ledger;
		this.throttle = throttle;
	}

	public Reconciler.Decision reconcile(RefundProvider provider, LedgerRow row) {
		GroupState group;
		try {
			group = throttle.acquire().then(provider.queryGroup(row.groupId())).block(QUERY_TIMEOUT);
		}
		catch (RuntimeException ex) {
			return record(row, new Reconciler.Decision(RowStatus.UNKNOWN,
					"could not ask " + provider.name() + " about group " + row.groupId() + ": " + ex.getMessage()));
		}
		return settle(row, group);
	}

	/** Settles a maybe-sent row from the provider's view of its group, already fetched. */
	public Reconciler.Decision settle(LedgerRow row, GroupState group) {
		return record(row, Reconciler.decide(row, group,
				ledger.groupHistory(row.provider(), row.groupId(), row.rowId())));
	}

	private Reconciler.Decision record(LedgerRow row, Reconciler.Decision decision) {
		ledger.settle(row.rowId(), decision.status(), decision.evidence());
		log.info("reconciled line {} request {} group {}: {} ({})", row.lineNumber(), row.requestId(), row.groupId(),
				decision.status(), decision.evidence());
		return decision;
	}

}
