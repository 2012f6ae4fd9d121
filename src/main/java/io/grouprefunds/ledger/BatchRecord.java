package io.grouprefunds.ledger;

/** One input file's batch. {@code state}: INGESTING, REFUSED or READY (see V2__refund_ledger.sql). */
public record BatchRecord(long batchId, String provider, String fileName, String filePath, String fileSha256,
		String state, String refusal) {
}
