package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One refund part as it lives in a simulated provider: what it is, what it settles to by itself and when, and its
 * status now. Its group keeps it to count what is refunded. The status changes only under its group's monitor
 * ({@link #lock()}), so a refund being checked against the group never sees a part change halfway.
 */
public final class SimulatedRefund {

	static final String REJECTED_REASON = "the refund was rejected (sandbox simulation)";

	static final String ERROR_REASON = "the refund failed at the processor (sandbox simulation)";

	private final RefundPart created;

	private final Object lock;

	private final RefundStatus outcome;

	private final Instant dueAt;

	private RefundStatus status;

	private Instant updatedAt;

	private String failureReason;

	/**
	 * @param created the part as created, with its initial status
	 * @param lock its group's monitor
	 * @param outcome what it settles to by itself when Pending
	 * @param dueAt when it settles by itself, or {@code null} for never
	 */
	SimulatedRefund(RefundPart created, Object lock, RefundStatus outcome, Instant dueAt) {
		this.created = created;
		this.lock = lock;
		this.outcome = outcome;
		this.dueAt = dueAt;
		this.status = created.status();
		this.updatedAt = created.updatedAt();
		this.failureReason = created.failureReason();
	}

	String id() {
		return created.id();
	}

	public BigDecimal amount() {
		return created.amount();
	}

	Object lock() {
		return lock;
	}

	RefundStatus outcome() {
		return outcome;
	}

	/** When it settles by itself; {@code null} for never. */
	Instant dueAt() {
		return dueAt;
	}

	public synchronized RefundStatus status() {
		return status;
	}

	/** Whether its amount counts as refunded now. */
	public synchronized boolean holdsMoney() {
		return status.holdsMoney();
	}

	/**
	 * Settles a Pending part; the caller holds {@link #lock()}.
	 * @return whether it was Pending and is now {@code to}
	 */
	synchronized boolean settle(RefundStatus to, Instant at) {
		if (status != RefundStatus.PENDING) {
			return false;
		}
		status = to;
		updatedAt = at;
		failureReason = (to == RefundStatus.REJECTED) ? REJECTED_REASON : "";
		return true;
	}

	public synchronized RefundPart snapshot() {
		return new RefundPart(created.id(), created.provider(), created.groupId(), created.paymentId(),
				created.amount(), created.currency(), status, created.createdAt(), updatedAt,
				created.idempotencyKey(), created.operationId(), created.requestSequence(), failureReason);
	}

}
