package io.grouprefunds.job;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.grouprefunds.ingest.FileInspection;
import io.grouprefunds.ingest.IngestProperties;
import io.grouprefunds.ingest.InspectedRow;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.provider.RowRules;

import org.springframework.stereotype.Component;

/**
 * Refuses a new file that was plainly meant for another provider: more of its group ids have another provider's
 * shape than this provider's. Rejecting row by row instead would send the few rows that happen to fit, and bind the
 * file to the wrong provider for good; refused here, before a batch is created, nothing is recorded or sent and the
 * operator runs the same file with the provider named. Knows no provider: it asks each one's {@link RowRules}.
 *
 * <p>It costs no read of its own: a {@link Tally} counts the group ids as the file inspection passes over the rows.
 */
@Component
class WrongProviderCheck {

	private final RefundProviders providers;

	WrongProviderCheck(RefundProviders providers) {
		this.providers = providers;
	}

	/** A tally for a file about to be inspected for {@code providerName}: give it the inspection's rows. */
	Tally tally(String providerName) {
		return new Tally(providerName, providers.get(providerName).rowRules());
	}

	/**
	 * Inspects the file for this check alone (the job's default limits).
	 * @return why the file is refused, or empty to go on (a file the job's own checks refuse goes on, too)
	 */
	Optional<String> refusal(Path file, String providerName) {
		Tally tally = tally(providerName);
		try {
			return FileInspection.examine(file, IngestProperties.defaults(), tally).passed() ? tally.refusal()
					: Optional.empty();
		}
		catch (UncheckedIOException ex) {
			return Optional.empty(); // the job says why it cannot read the file
		}
	}

	/** Group ids counted by the shape they have, row by row. */
	final class Tally implements Consumer<InspectedRow> {

		private final String providerName;

		private final RowRules rules;

		private int ours;

		private final Map<String, Integer> others = new HashMap<>();

		private final Map<String, String> examples = new HashMap<>();

		private Tally(String providerName, RowRules rules) {
			this.providerName = providerName;
			this.rules = rules;
		}

		@Override
		public void accept(InspectedRow row) {
			String groupId = row.field("group_id") == null ? "" : row.field("group_id");
			if (rules.looksLikeGroupId(groupId)) {
				ours++;
				return;
			}
			for (RefundProvider other : providers.all()) {
				if (!other.name().equals(providerName) && other.rowRules().looksLikeGroupId(groupId)) {
					others.merge(other.name(), 1, Integer::sum);
					examples.putIfAbsent(other.name(), groupId + " on line " + row.lineNumber());
				}
			}
		}

		/**
		 * Only for a file the inspection passed: a file it refused goes on to be refused with its own reason.
		 * @return why the file is refused, or empty to go on
		 */
		Optional<String> refusal() {
			Optional<Map.Entry<String, Integer>> likeliest = others.entrySet()
				.stream()
				.max(Map.Entry.comparingByValue());
			if (likeliest.isEmpty() || likeliest.get().getValue() <= ours) {
				return Optional.empty();
			}
			String meantFor = likeliest.get().getKey();
			return Optional.of("this file looks like a file for provider " + meantFor + ": "
					+ likeliest.get().getValue() + " of its group ids are "
					+ providers.get(meantFor).rowRules().groupIdDescription() + " (e.g. " + examples.get(meantFor)
					+ "), " + ours + " are " + rules.groupIdDescription() + "; run it with --provider " + meantFor
					+ ". Nothing was recorded or sent.");
		}

	}

}
