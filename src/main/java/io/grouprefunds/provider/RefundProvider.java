package io.grouprefunds.provider;

import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.domain.SubmitOutcome;

import reactor.core.publisher.Mono;

/**
 * The port the submit step talks to. One adapter per provider, in its own package; nothing provider-specific goes
 * past this interface.
 *
 * <p>Adapters sign each attempt at the moment of sending, classify every answer (or the lack of one) into a
 * {@link SubmitOutcome} in one place, and never throw for a provider answer: a Mono from {@link #submit} always
 * completes with an outcome.
 */
public interface RefundProvider {

	/** The name operators type ({@code --provider rapyd}) and the ledger stores. */
	String name();

	/**
	 * What tells this provider's accounts apart (Rapyd's access key, the issuer's company id): the processes that use
	 * the same account share its rate limit. Never a secret; the throttle stores only a hash of it.
	 */
	default String account() {
		return "";
	}

	/**
	 * Whether the operator declared that this account deduplicates our idempotency key / request id. Only then may a
	 * maybe-sent row be sent again with its key without reconciling first.
	 */
	boolean idempotencyEnforced();

	/** What a CSV row must look like for this provider. */
	RowRules rowRules();

	/** Fails fast, before anything is read or sent, when settings are missing. Messages never contain secrets. */
	void checkConfiguration();

	/** One attempt to send the refund; signs at subscription time, so every retry is signed afresh. */
	Mono<SubmitOutcome> submit(RefundInstruction instruction);

	/** What {@link #submit} would send for this refund, for a dry run: no secret, no network. */
	String preview(RefundInstruction instruction);

	/**
	 * The provider's current view of a group, for reconciliation and the preflight. Errors propagate; a path or base
	 * URL that answers 404 without the provider's own answer fails with a {@code ConfigurationException} naming the
	 * setting, so the job stops at once rather than waiting for a provider that is not down.
	 */
	Mono<GroupState> queryGroup(String groupId);

	/**
	 * One refund part as the provider shows it now (Rapyd {@code GET /v1/refunds/{id}}, the issuer's Query refund):
	 * how reconcile follows a part its group query does not list. Empty when the provider does not know the id.
	 */
	default Mono<RefundPart> queryPart(String partId) {
		return Mono.error(new UnsupportedOperationException(name() + " cannot be asked about one refund"));
	}

	/**
	 * Whether {@link #queryGroup} lists the refund objects made on the group (Rapyd): then reconcile asks once per
	 * group; otherwise once per refund part ({@link #queryPart}).
	 */
	default boolean groupListsParts() {
		return false;
	}

	/** Whether the operator switched on the preflight for real runs ({@code refunds.<provider>.preflight}). */
	default boolean preflight() {
		return false;
	}

}
