package io.grouprefunds.job;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.grouprefunds.ingest.CsvRecord;
import io.grouprefunds.ingest.FileRefusedException;
import io.grouprefunds.ingest.RefundCsvReader;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RowRules;
import io.grouprefunds.provider.RefundProviders;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.stereotype.Component;

/**
 * Refuses a new file that was plainly meant for another provider: more of its group ids have another provider's
 * shape than this provider's. Rejecting row by row instead would send the few rows that happen to fit, and bind the
 * file to the wrong provider for good; refused here, before a batch is created, nothing is recorded or sent and the
 * operator runs the same file with the provider named. Knows no provider: it asks each one's {@link RowRules}.
 */
@Component
class WrongProviderCheck {

	private final RefundProviders providers;

	WrongProviderCheck(RefundProviders providers) {
		this.providers = providers;
	}

	/** @return why the file is refused, or empty to go on (a file the job's own checks refuse goes on, too) */
	Optional<String> refusal(Path file, String providerName) {
		RowRules rules = providers.get(providerName).rowRules();
		int ours = 0;
		Map<String, Integer> others = new HashMap<>();
		Map<String, String> examples = new HashMap<>();
		RefundCsvReader reader = new RefundCsvReader(file);
		try {
			reader.open(new ExecutionContext());
			for (CsvRecord row = reader.read(); row != null; row = reader.read()) {
				String groupId = row.groupId() == null ? "" : row.groupId();
				if (rules.looksLikeGroupId(groupId)) {
					ours++;
					continue;
				}
				for (RefundProvider other : providers.all()) {
					if (!other.name().equals(providerName) && other.rowRules().looksLikeGroupId(groupId)) {
						others.merge(other.name(), 1, Integer::sum);
						examples.putIfAbsent(other.name(), groupId + " on line " + row.lineNumber());
					}
				}
			}
		}
		catch (FileRefusedException ex) {
			return Optional.empty(); // a bad header or encoding: the job refuses it with its own reason
		}
		finally {
			reader.close();
		}
		Optional<Map.Entry<String, Integer>> likeliest = others.entrySet()
			.stream()
			.max(Map.Entry.comparingByValue());
		if (likeliest.isEmpty() || likeliest.get().getValue() <= ours) {
			return Optional.empty();
		}
		String meantFor = likeliest.get().getKey();
		return Optional.of("this file looks like a file for provider " + meantFor + ": " + likeliest.get().getValue()
				+ " of its group ids are " + providers.get(meantFor).rowRules().groupIdDescription() + " (e.g. "
				+ examples.get(meantFor) + "), " + ours + " are " + rules.groupIdDescription() + "; run it with "
				+ "--provider " + meantFor + ". Nothing was recorded or sent.");
	}

}
