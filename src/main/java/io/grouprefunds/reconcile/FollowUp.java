package io.grouprefunds.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.BatchLocks;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.ledger.OpenRows;
import io.grouprefunds.ledger.OpenRows.OpenRow;
import io.grouprefunds.ledger.RowChange;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.report.BatchReport;
import io.grouprefunds.throttle.Throttle;
import io.grouprefunds.throttle.Throttles;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * {@code reconcile [BATCH]}: follows every open row (SENDING, UNKNOWN, PENDING) until the provider's final word, by
 * asking the provider through the account's throttle; never sends a refund. Without a batch it covers every batch
 * with open rows created within {@code refunds.reconcile.max-age}, and lists older open rows for a person.
 *
 * <p>Per group, one query when the provider's group query lists refund objects (Rapyd), else one per open part (the
 * issuer's Query refund). Each row's settlement commits on its own, so a kill loses nothing and the next reconcile
 * finishes. Each batch's result file is rewritten. Each batch is held with its lock, as a run holds it.
 */
@Component
public class FollowUp {

	private final Ledger ledger;

	private final OpenRows openRows;

	private final RefundProviders providers;

	private final Throttles throttles;

	private final BatchLocks locks;

	private final BatchReport report;

	private final ReconcileProperties properties;

	private final Clock clock;

	private final AttemptLog attemptLog;

	FollowUp(Ledger ledger, OpenRows openRows, RefundProviders providers, Throttles throttles, BatchLocks locks,
			BatchReport report, ReconcileProperties properties, Clock clock, AttemptLog attemptLog) {
		this.attemptLog = attemptLog;
		this.ledger = ledger;
		this.openRows = openRows;
		this.providers = providers;
		this.throttles = throttles;
		this.locks = locks;
		this.report = report;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * What a follow-up came to, for the exit code and the operator.
	 *
	 * @param newNeedsPerson rows that became DECLINED or DISCREPANCY now
	 * @param unsettled rows still SENDING or UNKNOWN, or RETRYABLE (to send again with {@code rerun-failed})
	 * @param pastMaxAge rows still open that are older than {@code max-age}
	 * @param unfinished per batch with READY rows (its run failed or stopped): what to run
	 * @param busy batches another live process holds (skipped)
	 * @param failedQueries provider queries that failed: the rows they were for stay as they were
	 */
	public record Result(List<Long> batches, int checked, int changed, int newNeedsPerson, int unsettled,
			List<OpenRow> pastMaxAge, List<String> unfinished, List<Long> busy, int failedQueries) {
	}

	/** @param batchId null: every batch with open rows within max-age */
	public Result reconcile(Long batchId, Consumer<String> out) {
		Instant since = clock.instant().minus(properties.maxAge());
		List<BatchRecord> batches = new ArrayList<>();
		if (batchId != null) {
			batches.add(ledger.findBatch(batchId).orElseThrow(() -> new IllegalArgumentException(
					"there is no batch " + batchId)));
		}
		else {
			openRows.batchesWithOpenRows(since).forEach(id -> ledger.findBatch(id).ifPresent(batches::add));
		}
		Run run = new Run(out);
		Set<String> checkedProviders = new HashSet<>();
		for (BatchRecord batch : batches) {
			RefundProvider provider = providers.get(batch.provider());
			if (checkedProviders.add(provider.name())) {
				provider.checkConfiguration();
			}
			Optional<BatchLocks.Held> lock = locks.tryLock(batch.fileSha256());
			if (lock.isEmpty()) {
				out.accept("batch " + batch.batchId() + " is being run by another process: not reconciled now");
				run.busy.add(batch.batchId());
				continue;
			}
			try (BatchLocks.Held held = lock.get()) {
				followBatch(batch, provider, batchId == null ? since : null, run);
			}
		}
		List<OpenRow> old = openRows.olderThan(since, batchId);
		for (OpenRow row : old) {
			out.accept("batch " + row.row().batchId() + " line " + row.row().lineNumber() + " request "
					+ row.row().requestId() + ": still " + row.row().status() + " since " + row.since() + ", past "
					+ "refunds.reconcile.max-age (" + properties.maxAge().toDays() + " days): ask " + row.row().provider()
					+ " about it with its idempotency key, then settle it by hand");
		}
		return new Result(batches.stream().map(BatchRecord::batchId).toList(), run.checked, run.changed,
				run.newNeedsPerson, run.unsettled, old, run.unfinished, run.busy, run.failedQueries);
	}

	private void followBatch(BatchRecord batch, RefundProvider provider, Instant since, Run run) {
		Throttle throttle = throttles.forProvider(provider.name());
		Reconciliation reconciliation = new Reconciliation(ledger, throttle, attemptLog, null);
		Map<String, List<OpenRow>> byGroup = new LinkedHashMap<>();
		for (OpenRow row : openRows.inBatch(batch.batchId(), since)) {
			byGroup.computeIfAbsent(row.row().groupId(), k -> new ArrayList<>()).add(row);
		}
		try {
			byGroup.forEach((groupId, rows) -> followGroup(provider, throttle, reconciliation, groupId, rows, run));
		}
		finally {
			// Even a follow-up stopped by a configuration error leaves the result file as the ledger is now.
			report.writeResultFile(batch.batchId());
		}
		long ready = ledger.countRowsIn(batch.batchId(), EnumSet.of(RowStatus.READY));
		if (ready > 0) {
			run.unfinished.add("batch " + batch.batchId() + " has " + ready + " READY row(s) not sent yet (its run "
					+ "failed or stopped): run `restart " + batch.batchId() + "`");
		}
		run.unsettled += (int) ledger.countRowsIn(batch.batchId(),
				EnumSet.of(RowStatus.SENDING, RowStatus.UNKNOWN, RowStatus.RETRYABLE));
	}

	private void followGroup(RefundProvider provider, Throttle throttle, Reconciliation reconciliation, String groupId,
			List<OpenRow> rows, Run run) {
		boolean maybeSent = rows.stream().anyMatch(r -> RowStatus.MAYBE_SENT.contains(r.row().status()));
		GroupState group = null;
		if (maybeSent || provider.groupListsParts()) {
			// Recorded as a QUERY attempt of every open row of the group: the rows its answer may settle.
			Answer<GroupState> answer = ask(run, provider, throttle, reconciliation.queries(),
					rows.stream().map(r -> r.row().rowId()).toList(), null, () -> provider.queryGroup(groupId),
					GroupState::found, "group " + groupId);
			if (!answer.ok()) {
				return; // the rows stay as they are; the next reconcile asks again
			}
			group = answer.value();
		}
		for (OpenRow open : rows) {
			LedgerRow row = open.row();
			run.checked++;
			if (RowStatus.MAYBE_SENT.contains(row.status())) {
				Reconciler.Decision decision = reconciliation.settle(row, group);
				if (decision.status() != row.status()) {
					run.changed(row, row.status(), decision.status(), decision.evidence());
				}
				continue;
			}
			Optional<RowChange> change = followPending(provider, throttle, reconciliation.queries(), row, group, run);
			change.ifPresent(c -> run.changed(row, c));
		}
	}

	/** A PENDING row: its parts' current statuses, from the group's listing or one query per open part. */
	private Optional<RowChange> followPending(RefundProvider provider, Throttle throttle, QueryLog queries,
			LedgerRow row, GroupState group, Run run) {
		List<RefundPart> seen;
		String currency = null;
		if (group != null && group.listsParts()) {
			if (!group.found()) {
				return Optional.empty(); // a group payment the provider no longer shows: nothing to read; listed later
			}
			seen = group.parts();
			currency = group.currency().getCurrencyCode();
		}
		else {
			seen = new ArrayList<>();
			for (RefundPart part : ledger.parts(row.rowId())) {
				if (part.isFinal()) {
					continue;
				}
				Answer<RefundPart> answer = ask(run, provider, throttle, queries, List.of(row.rowId()), part.partId(),
						() -> provider.queryPart(part.partId()), found -> true, "refund " + part.partId());
				if (!answer.ok()) {
					return Optional.empty();
				}
				if (answer.value() == null) {
					run.out.accept("line " + row.lineNumber() + " request " + row.requestId() + ": " + provider.name()
							+ " does not know refund " + part.partId() + "; it stays " + part.status());
				}
				else {
					seen.add(answer.value());
				}
			}
		}
		String evidence = ledger.parts(row.rowId()).isEmpty() && seen.isEmpty()
				? "accepted; " + provider.name() + " lists no refund object of this row yet" : null;
		return ledger.settleFromParts(row.rowId(), EnumSet.of(RowStatus.PENDING), seen, currency, null, evidence);
	}

	/** One query about {@code rowIds}, recorded as their QUERY attempts ({@link QueryLog}). */
	private <T> Answer<T> ask(Run run, RefundProvider provider, Throttle throttle, QueryLog queries,
			List<Long> rowIds, String reference, Supplier<Mono<T>> query, java.util.function.Predicate<T> found,
			String what) {
		int failures = run.consecutiveFailures.getOrDefault(provider.name(), 0);
		if (failures >= properties.maxFailedQueries()) {
			return new Answer<>(false, null);
		}
		try {
			T value = queries.askAndWait(rowIds, reference, throttle.acquire(), query, found);
			run.consecutiveFailures.put(provider.name(), 0);
			return new Answer<>(true, value);
		}
		catch (ConfigurationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			run.failedQueries++;
			run.consecutiveFailures.put(provider.name(), failures + 1);
			run.out.accept("could not ask " + provider.name() + " about " + what + ": " + ex.getMessage()
					+ (failures + 1 >= properties.maxFailedQueries() ? "; " + (failures + 1) + " queries failed in a "
							+ "row: not asking " + provider.name() + " again in this reconcile" : ""));
			return new Answer<>(false, null);
		}
	}

	/** A query's answer; {@code ok} false when it failed (the value may be null when the provider knows nothing). */
	private record Answer<T>(boolean ok, T value) {
	}

	/** What this follow-up did so far. */
	private static final class Run {

		final Consumer<String> out;

		int checked;

		int changed;

		int newNeedsPerson;

		int unsettled;

		int failedQueries;

		final List<String> unfinished = new ArrayList<>();

		final List<Long> busy = new ArrayList<>();

		final Map<String, Integer> consecutiveFailures = new HashMap<>();

		Run(Consumer<String> out) {
			this.out = out;
		}

		void changed(LedgerRow row, RowStatus before, RowStatus after, String evidence) {
			changed++;
			if (RowStatus.NEEDS_A_PERSON.contains(after)) {
				newNeedsPerson++;
			}
			out.accept("batch " + row.batchId() + " line " + row.lineNumber() + " request " + row.requestId() + ": "
					+ before + " -> " + after + " (" + evidence + ")");
		}

		void changed(LedgerRow row, RowChange change) {
			if (!change.statusChanged() && change.parts().isEmpty()) {
				return;
			}
			if (change.statusChanged()) {
				changed++;
				if (RowStatus.NEEDS_A_PERSON.contains(change.after().status())) {
					newNeedsPerson++;
				}
			}
			StringBuilder line = new StringBuilder("batch " + row.batchId() + " line " + row.lineNumber()
					+ " request " + row.requestId() + ": " + change.before() + " -> " + change.after().status());
			for (RowChange.PartChange part : change.parts()) {
				line.append("; ").append(part.partId()).append(' ')
					.append(part.before() == null ? "found " : part.before() + " -> ").append(part.after());
				if (part.providerChangedAt() != null) {
					line.append(" at ").append(part.providerChangedAt());
				}
			}
			line.append("; refunded ").append(change.after().refundedAmount().toPlainString()).append(' ')
				.append(change.after().refundedCurrency());
			if (change.after().message() != null) {
				line.append(" (").append(change.after().message()).append(')');
			}
			out.accept(line.toString());
		}

	}

	/** How long the follow-up covers without a batch argument. */
	public Duration maxAge() {
		return properties.maxAge();
	}

}
