package io.grouprefunds.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.grouprefunds.ingest.FileInspection;
import io.grouprefunds.ingest.IngestProperties;
import io.grouprefunds.ingest.RefundCsvReader;

import org.springframework.stereotype.Component;

/**
 * Every read of a refund file goes through here, so that a new file is read twice at most: once to inspect it (its
 * SHA-256, its soundness, which provider its group ids fit: one pass, {@link FileInspection#examine}), once to ingest
 * it. The inspection is kept for the ingest reader of the same process, which then does not inspect the file again; a
 * restart in another process has nothing kept, and its reader inspects the file itself.
 */
@Component
class InputFiles {

	private final IngestProperties limits;

	private final WrongProviderCheck wrongProvider;

	/** Inspections made by this process and not yet taken by a reader, by absolute path. */
	private final Map<Path, FileInspection.Inspection> inspected = new ConcurrentHashMap<>();

	InputFiles(IngestProperties limits, WrongProviderCheck wrongProvider) {
		this.limits = limits;
		this.wrongProvider = wrongProvider;
	}

	/**
	 * The first read of a file about to be run for {@code providerName}.
	 * @throws java.io.UncheckedIOException when it cannot be read
	 */
	Inspected inspect(Path file, String providerName) {
		WrongProviderCheck.Tally tally = wrongProvider.tally(providerName);
		FileInspection.Inspection inspection = FileInspection.examine(file, limits, tally);
		inspected.put(key(file), inspection);
		return new Inspected(inspection, inspection.passed() ? tally.refusal() : Optional.empty());
	}

	/**
	 * The reader that ingests the file: after this process's own inspection of these very contents, it reads the file
	 * once more only; otherwise it inspects the file first.
	 * @param sha256 the SHA-256 the batch was started with
	 */
	RefundCsvReader reader(Path file, String sha256, Consumer<List<String>> headerListener) {
		FileInspection.Inspection inspection = inspected.remove(key(file));
		if (inspection != null && sha256.equalsIgnoreCase(inspection.sha256())) {
			return RefundCsvReader.afterInspection(file, limits, inspection, headerListener);
		}
		return new RefundCsvReader(file, limits, sha256, headerListener);
	}

	private static Path key(Path file) {
		return file.toAbsolutePath().normalize();
	}

	/**
	 * @param inspection the file's SHA-256 and verdict
	 * @param wrongProvider why the file is refused as meant for another provider (empty when it is not, or when the
	 * inspection refused it anyway)
	 */
	record Inspected(FileInspection.Inspection inspection, Optional<String> wrongProvider) {
	}

}
