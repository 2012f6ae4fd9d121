package io.grouprefunds.reconcile;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.Settlement;
import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.Ledger.GroupHistory;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.ledger.RowChange;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.throttle.Throttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles one maybe-sent row (SENDING, UNKNOWN) by asking the provider about its group, and records the decision with
 * its evidence. When the group shows refund objects made after the row was sent that no other row owns, the request
 * was applied: they are the row's parts, and its status is their reading ({@link Settlement}). Otherwise
 * {@link Reconciler} decides from the refunded totals. A query that fails leaves the row UNKNOWN: never resent on a
 * guess; a configuration error (a path that answers 404) propagates and stops the command.
 */
public class Reconciliation {

	private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

	static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);

	private final Ledger ledger;

	private final Throttle throttle;

	private final QueryLog queries;

	/** @param jobExecutionId the job execution asking (named in the QUERY attempt rows), if any */
	public Reconciliation(Ledger ledger, Throttle throttle, AttemptLog attemptLog, Long jobExecutionId) {
		this.ledger = ledger;
		this.throttle = throttle;
		this.queries = new QueryLog(attemptLog, jobExecutionId);
	}

	/** Where this reconciliation's queries are recorded (QUERY attempts). */
	public QueryLog queries() {
		return queries;
	}

	public Reconciler.Decision reconcile(RefundProvider provider, LedgerRow row) {
		GroupState group;
		try {
			group = queries.askAndWait(List.of(row.rowId()), null, throttle.acquire(),
					() -> provider.queryGroup(row.groupId()), GroupState::found);
		}
		catch (ConfigurationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			return record(row, new Reconciler.Decision(RowStatus.UNKNOWN,
					"could not ask " + provider.name() + " about group " + row.groupId() + ": " + ex.getMessage()));
		}
		return settle(row, group);
	}

	/** Settles a maybe-sent row from the provider's view of its group, already fetched. */
	public Reconciler.Decision settle(LedgerRow row, GroupState group) {
		GroupHistory history = ledger.groupHistory(row.provider(), row.groupId(), row.rowId());
		if (group.found() && group.listsParts() && history.otherUnsettled() == 0
				&& history.otherPendingWithoutParts() == 0) {
			List<RefundPart> own = ledger.unownedForRow(row.rowId(), row.provider(), group.parts());
			if (!own.isEmpty()) {
				BigDecimal total = own.stream().map(p -> p.amount() == null ? BigDecimal.ZERO : p.amount())
					.reduce(BigDecimal.ZERO, BigDecimal::add);
				String evidence = Reconciler.seen(group, history) + "; that includes this row's "
						+ total.toPlainString() + ": refund object(s) made after it was sent and owned by no other "
						+ "row: " + own.stream().map(p -> p.partId() + " " + p.status()).collect(Collectors.joining(", "));
				return applied(row, group, null, evidence);
			}
		}
		Reconciler.Decision decision = Reconciler.decide(row, group, history);
		if (decision.status() == RowStatus.SUCCEEDED) {
			// Applied, by the totals, with no refund object of it known: a provider that lists them (Rapyd) will show
			// them later (reconcile follows the row PENDING); one that does not (the issuer's group query) cannot say
			// more than its totals.
			String currency = group.currency().getCurrencyCode();
			Settlement withoutParts = group.listsParts()
					? new Settlement(RowStatus.PENDING, BigDecimal.ZERO, currency, null, null)
					: new Settlement(RowStatus.SUCCEEDED, decision.applied(), currency, null, null);
			String evidence = decision.evidence() + (group.listsParts()
					? "; its refund objects are not listed yet: reconcile follows it"
					: "; the provider's refund number is unknown (no answer arrived), so its later status cannot be "
							+ "followed");
			return applied(row, group, withoutParts, evidence);
		}
		return record(row, decision);
	}

	private Reconciler.Decision applied(LedgerRow row, GroupState group, Settlement withoutParts, String evidence) {
		Optional<RowChange> change = ledger.settleFromParts(row.rowId(), RowStatus.MAYBE_SENT,
				group.parts() == null ? List.of() : group.parts(), group.currency().getCurrencyCode(), withoutParts,
				evidence);
		RowStatus status = change.map(c -> c.after().status()).orElse(row.status());
		log.info("reconciled line {} request {} group {}: {} ({})", row.lineNumber(), row.requestId(), row.groupId(),
				status, evidence);
		return new Reconciler.Decision(status, evidence,
				change.map(c -> c.after().refundedAmount()).orElse(null));
	}

	private Reconciler.Decision record(LedgerRow row, Reconciler.Decision decision) {
		ledger.settle(row.rowId(), decision.status(), decision.evidence());
		log.info("reconciled line {} request {} group {}: {} ({})", row.lineNumber(), row.requestId(), row.groupId(),
				decision.status(), decision.evidence());
		return decision;
	}

}
