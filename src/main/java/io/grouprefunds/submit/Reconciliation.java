package io.grouprefunds.submit;

import java.time.Duration;

import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.ledger.RowStatus;
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
		RowStatus status;
		String evidence;
		try {
			GroupState group = Mono.delay(throttle.reserve())
				.then(provider.queryGroup(row.groupId()))
				.block(QUERY_TIMEOUT);
			Reconciler.Decision decision = Reconciler.decide(row, group,
					ledger.groupHistory(row.provider(), row.groupId(), row.rowId()));
			status = decision.status();
			evidence = decision.evidence();
		}
		catch (RuntimeException ex) {
			status = RowStatus.UNKNOWN;
			evidence = "could not ask " + provider.name() + " about group " + row.groupId() + ": " + ex.getMessage();
		}
		ledger.settle(row.rowId(), status, evidence);
		log.info("reconciled line {} request {} group {}: {} ({})", row.lineNumber(), row.requestId(), row.groupId(),
				status, evidence);
		return new Reconciler.Decision(status, evidence);
	}

}
