import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The benchmark's bare client: what the job does on the wire and nothing else. For each row of the bench CSV it
 * signs a Rapyd "Create Group Refund" exactly as the job does (fresh salt and timestamp, HMAC-SHA256 over the compact
 * body, base64 of the hex text) and POSTs it, 16 in flight (threads over one JDK HTTP/1.1 client); no ledger, no
 * validation, no retries. Usage: {@code java -cp DIR BareClient BASE_URL ACCESS_KEY SECRET_KEY CSV [IN_FLIGHT]}.
 * Prints one line: {@code rows=N seconds=S statuses={200=N}} (seconds from the first request to the last answer).
 */
public class BareClient {

	private static final String PATH = "/v1/refunds/group_payments";

	private static final String SALT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	public static void main(String[] args) throws Exception {
		String base = args[0];
		String access = args[1];
		String secret = args[2];
		List<String> lines = Files.readAllLines(Path.of(args[3]));
		int inFlight = args.length > 4 ? Integer.parseInt(args[4]) : 16;
		List<String> rows = lines.subList(1, lines.size()); // request_id,group_id,amount,currency,reason
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5)).build();
		Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
		AtomicInteger next = new AtomicInteger();
		long started = System.nanoTime();
		Thread[] threads = new Thread[inFlight];
		for (int t = 0; t < inFlight; t++) {
			threads[t] = new Thread(() -> {
				SecureRandom random = new SecureRandom();
				Mac mac = hmac(secret);
				for (int i = next.getAndIncrement(); i < rows.size(); i = next.getAndIncrement()) {
					String[] f = rows.get(i).split(",", -1);
					String body = "{\"group_payment\":\"" + f[1] + "\",\"amount\":" + compact(f[2]) + "}";
					StringBuilder salt = new StringBuilder(12);
					for (int c = 0; c < 12; c++) {
						salt.append(SALT.charAt(random.nextInt(SALT.length())));
					}
					long timestamp = System.currentTimeMillis() / 1000;
					String toSign = "post" + PATH + salt + timestamp + access + secret + body;
					String hex = HexFormat.of().formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
					HttpRequest request = HttpRequest.newBuilder(URI.create(base + PATH))
						.timeout(Duration.ofSeconds(30))
						.header("Content-Type", "application/json")
						.header("access_key", access)
						.header("salt", salt.toString())
						.header("timestamp", Long.toString(timestamp))
						.header("signature", Base64.getEncoder().encodeToString(hex.getBytes(StandardCharsets.US_ASCII)))
						.header("idempotency", "bare-" + UUID.nameUUIDFromBytes(f[0].getBytes(StandardCharsets.UTF_8)))
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build();
					int status;
					try {
						status = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
					}
					catch (Exception ex) {
						status = -1;
					}
					statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
				}
			});
			threads[t].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		Map<Integer, Long> counted = new TreeMap<>();
		statuses.forEach((status, count) -> counted.put(status, count.sum()));
		System.out.printf("rows=%d seconds=%.3f statuses=%s%n", rows.size(), seconds, counted);
	}

	private static Mac hmac(String secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return mac;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** As the job writes an amount on the wire: no trailing zeros ({@code 10.00} -> {@code 10}). */
	private static String compact(String amount) {
		return new java.math.BigDecimal(amount).stripTrailingZeros().toPlainString();
	}

}
