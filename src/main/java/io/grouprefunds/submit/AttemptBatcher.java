package io.grouprefunds.submit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.grouprefunds.ledger.AttemptLog;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * Commits the attempt rows of requests sent again (after a 429, a refused connection, a 5xx under an enforced
 * idempotency key) before they leave, many per transaction: while one batch is being written, the rows that ask meanwhile
 * wait for the next one (group commit), so a burst of 429s costs a few commits, not one per request. No artificial
 * delay: a lone retry is written at once.
 */
final class AttemptBatcher {

	private final AttemptLog attemptLog;

	private final Long jobExecutionId;

	private final Scheduler blocking;

	/** Rows waiting for their attempt row; guarded by this. */
	private final List<Waiting> waiting = new ArrayList<>();

	private boolean writing;

	private record Waiting(long rowId, MonoSink<AttemptLog.Attempt> sink) {
	}

	AttemptBatcher(AttemptLog attemptLog, Long jobExecutionId, Scheduler blocking) {
		this.attemptLog = attemptLog;
		this.jobExecutionId = jobExecutionId;
		this.blocking = blocking;
	}

	/** A committed attempt row for the row's next request; fails when it cannot be written (nothing may leave). */
	Mono<AttemptLog.Attempt> next(long rowId) {
		return Mono.create(sink -> {
			boolean start;
			synchronized (this) {
				waiting.add(new Waiting(rowId, sink));
				start = !writing;
				writing = true;
			}
			if (start) {
				blocking.schedule(this::writeAll);
			}
		});
	}

	private void writeAll() {
		while (true) {
			List<Waiting> batch;
			synchronized (this) {
				if (waiting.isEmpty()) {
					writing = false;
					return;
				}
				batch = new ArrayList<>(waiting);
				waiting.clear();
			}
			try {
				Map<Long, AttemptLog.Attempt> written = new HashMap<>();
				attemptLog.nextRefunds(batch.stream().map(Waiting::rowId).toList(), jobExecutionId)
					.forEach(attempt -> written.put(attempt.rowId(), attempt));
				for (Waiting each : batch) {
					AttemptLog.Attempt attempt = written.get(each.rowId());
					if (attempt != null) {
						each.sink().success(attempt);
					}
					else {
						each.sink().error(new IllegalStateException("row " + each.rowId() + " is no longer SENDING: "
								+ "not sent again"));
					}
				}
			}
			catch (RuntimeException ex) {
				batch.forEach(each -> each.sink().error(ex));
			}
		}
	}

}
