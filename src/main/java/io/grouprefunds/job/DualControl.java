package io.grouprefunds.job;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.grouprefunds.domain.Money;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.DecisionEvent;
import io.grouprefunds.ledger.DecisionEvents;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.StatusTotal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Dual control (maker-checker). After the file gate, a batch whose valid total in a currency is above
 * {@code refunds.approval.above.<CCY>} is recorded APPROVAL_REQUIRED (once) and sends nothing until a database login
 * other than its submitter's (the login of its RUN event) records an APPROVE with {@code approve BATCH}. Once found
 * above a threshold, a batch waits for an approval for good, even if the thresholds are raised since. Everything is
 * an event of {@code refund_event}: append-only, with its actor.
 */
@Component
public class DualControl {

	private static final Logger log = LoggerFactory.getLogger(DualControl.class);

	private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private final Ledger ledger;

	private final DecisionEvents events;

	private final ApprovalProperties properties;

	DualControl(Ledger ledger, DecisionEvents events, ApprovalProperties properties) {
		this.ledger = ledger;
		this.events = events;
		this.properties = properties;
	}

	/**
	 * {@code approvalStep}: passes an approved batch, or one within every threshold; otherwise records that it needs
	 * approval (once) and stops the job before anything is sent.
	 * @throws WaitingForApproval when the batch waits for an approval
	 */
	void check(long batchId) throws WaitingForApproval {
		DecisionEvents.ApprovalState state = events.approvalState(batchId);
		if (state.approved().isPresent()) {
			log.info("batch {}: approved by {}", batchId, state.approved().get().dbUser());
			return;
		}
		if (state.required().isEmpty()) {
			List<String> above = aboveThresholds(ledger.totals(batchId));
			if (above.isEmpty()) {
				return;
			}
			events.recordOnce(DecisionEvent.Kind.APPROVAL_REQUIRED, batchId, String.join("; ", above));
			state = events.approvalState(batchId);
		}
		log.warn("batch {} waits for approval: {}", batchId, state.required().map(DecisionEvent::detail).orElse(""));
		throw new WaitingForApproval(waitingMessage(batchId, state));
	}

	/** What a command that ended without completing says when the batch waits for approval (exit 9). */
	Optional<BatchRunner.Result> waiting(long batchId) {
		DecisionEvents.ApprovalState state = events.approvalState(batchId);
		return state.waiting()
				? Optional.of(new BatchRunner.Result(ExitCode.WAITING_FOR_APPROVAL, waitingMessage(batchId, state)))
				: Optional.empty();
	}

	/** Is the batch waiting for an approval (found above a threshold, not approved)? */
	public boolean isWaiting(long batchId) {
		return events.approvalState(batchId).waiting();
	}

	/**
	 * {@code approve BATCH [--note TEXT]}: records the approval of a batch waiting for one, by this session's database
	 * login, which must not be the submitter's (unless {@code refunds.approval.allow-self-approval}, trial only).
	 * Sends nothing. Refused (exit 6, with the reason): a batch that needs no approval or has one already, and the
	 * submitter's own approval, which is recorded as APPROVAL_REFUSED.
	 */
	public BatchRunner.Result approve(long batchId, String note) {
		Optional<BatchRecord> batch = ledger.findBatch(batchId);
		if (batch.isEmpty()) {
			return new BatchRunner.Result(ExitCode.USAGE, "there is no batch " + batchId);
		}
		if ("REFUSED".equals(batch.get().state())) {
			return refused("batch " + batchId + " was refused and will never be sent: there is nothing to approve");
		}
		DecisionEvents.ApprovalState state = events.approvalState(batchId);
		if (state.approved().isPresent()) {
			return refused("batch " + batchId + " is already approved, by " + approvedText(state.approved().get()));
		}
		if (state.required().isEmpty()) {
			return refused("batch " + batchId + " needs no approval: no valid total of it was found above "
					+ "refunds.approval.above.<CCY> (its run checks that after the file gate, before sending)");
		}
		String me = events.sessionUser();
		String submitter = state.submitter().orElse(null);
		String detail = note == null || note.isBlank() ? null : note.strip();
		if (me.equals(submitter)) {
			if (!properties.allowSelfApproval()) {
				events.record(DecisionEvent.Kind.APPROVAL_REFUSED, batchId, "self-approval refused: database login "
						+ me + " submitted this batch" + (detail == null ? "" : "; note: " + detail));
				return refused("refused: you are connected to the database as " + me + ", who submitted batch "
						+ batchId + "; an approval must come from another database login (dual control). Nothing "
						+ "was approved or sent.");
			}
			log.warn("batch {}: approved by its own submitter {} (refunds.approval.allow-self-approval=true: trial "
					+ "use only)", batchId, me);
			detail = "self-approval (refunds.approval.allow-self-approval=true, trial only)"
					+ (detail == null ? "" : "; note: " + detail);
		}
		if (!events.recordOnce(DecisionEvent.Kind.APPROVE, batchId, detail)) {
			return refused("batch " + batchId + " was approved meanwhile, by "
					+ events.approvalState(batchId).approved().map(DecisionEvent::dbUser).orElse("another login"));
		}
		log.info("batch {} approved by {}", batchId, me);
		return new BatchRunner.Result(ExitCode.COMPLETED, "batch " + batchId + " approved by " + me
				+ (submitter == null ? "" : " (submitted by " + submitter + ")")
				+ ". Nothing was sent: run the same file again, or `restart " + batchId + "`, to send it.");
	}

	/**
	 * Per currency with a threshold, why the batch's valid rows need approval: their total is above it, or some of
	 * them refund a whole group, whose amount only the provider knows (it cannot be shown to be within it).
	 */
	List<String> aboveThresholds(List<StatusTotal> totals) {
		Map<String, BigDecimal> amount = new TreeMap<>();
		Map<String, Integer> wholeGroups = new TreeMap<>();
		for (StatusTotal total : totals) {
			if (total.status() != RowStatus.REJECTED && properties.thresholdFor(total.currency()).isPresent()) {
				amount.merge(total.currency(), total.amount(), BigDecimal::add);
				wholeGroups.merge(total.currency(), total.fullRefunds(), Integer::sum);
			}
		}
		List<String> above = new ArrayList<>();
		amount.forEach((currency, sum) -> {
			BigDecimal threshold = properties.thresholdFor(currency).orElseThrow();
			String limit = "refunds.approval.above." + currency + "=" + threshold.toPlainString();
			int whole = wholeGroups.get(currency);
			if (sum.compareTo(threshold) > 0) {
				above.add(currency + ": the valid rows add up to " + scaled(sum, currency) + " " + currency
						+ (whole > 0 ? " (and " + whole + " whole-group row(s) more)" : "") + ", above " + limit);
			}
			else if (whole > 0) {
				above.add(currency + ": " + whole + " valid row(s) refund a whole group (amount known only when the "
						+ "provider answers; the other valid rows add up to " + scaled(sum, currency) + " " + currency
						+ "), so the total cannot be shown within " + limit);
			}
		});
		return above;
	}

	private String waitingMessage(long batchId, DecisionEvents.ApprovalState state) {
		String submitter = state.submitter().orElse("?");
		return "batch " + batchId + " is waiting for approval (dual control), nothing was sent: "
				+ state.required().map(DecisionEvent::detail).orElse("") + ". Submitted by "
				+ state.submitted().or(state::required).map(e -> e.actor(UTC)).orElse(submitter) + ". Next: a "
				+ "person connected to the database as another login than " + submitter + " runs `approve " + batchId
				+ " --note TEXT`; then run the same file again, or `restart " + batchId + "`, to send it.";
	}

	private static String approvedText(DecisionEvent approval) {
		return approval.actor(UTC) + (approval.detail() == null ? "" : " (" + approval.detail() + ")");
	}

	/** At the currency's decimals (row amounts never have more: the validator refuses them). */
	private static String scaled(BigDecimal amount, String currency) {
		return amount.setScale(Money.decimalsOf(Currency.getInstance(currency))).toPlainString();
	}

	private static BatchRunner.Result refused(String why) {
		return new BatchRunner.Result(ExitCode.REFUSED, why);
	}

}
