package io.grouprefunds.submit;

import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.reconcile.Reconciliation;
import io.grouprefunds.throttle.Throttle;
import io.grouprefunds.throttle.Throttles;

import org.springframework.stereotype.Component;

/** Opens a {@link Submission} for each submit step execution: the job's one way into the send pipeline. */
@Component
public class Submissions {

	private final Ledger ledger;

	private final RefundProviders providers;

	private final Throttles throttles;

	private final SubmitProperties properties;

	private final BreakerProperties breaker;

	private final SubmitMetrics metrics;

	private final SubmitCounts counts;

	private final AttemptLog attemptLog;

	Submissions(Ledger ledger, RefundProviders providers, Throttles throttles, SubmitProperties properties,
			BreakerProperties breaker, SubmitMetrics metrics, SubmitCounts counts, AttemptLog attemptLog) {
		this.attemptLog = attemptLog;
		this.ledger = ledger;
		this.providers = providers;
		this.throttles = throttles;
		this.properties = properties;
		this.breaker = breaker;
		this.metrics = metrics;
		this.counts = counts;
		DroppedErrors.install();
	}

	/**
	 * A new send pipeline to {@code providerName}, through that account's throttle.
	 * @param jobExecutionId the job execution sending (named in every attempt row), if any
	 */
	public Submission open(String providerName, Long jobExecutionId) {
		RefundProvider provider = providers.get(providerName);
		Throttle throttle = throttles.forProvider(providerName);
		Reconciliation reconciliation = new Reconciliation(ledger, throttle, attemptLog, jobExecutionId);
		SubmitPipeline pipeline = new SubmitPipeline(ledger, provider, throttle, reconciliation, properties,
				throttles.limits(providerName), breaker, metrics, counts, attemptLog, jobExecutionId);
		return new Submission(pipeline,
				new SubmitWriter(ledger, provider, reconciliation, pipeline, metrics, counts, jobExecutionId));
	}

}
