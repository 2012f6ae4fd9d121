package io.grouprefunds.system;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds the WebClient of a provider adapter: explicit connect and response timeouts (an unbounded wait would hold
 * a claimed row in SENDING forever) and a connection pool sized for the requests we allow in flight.
 */
public final class ProviderWebClients {

	private ProviderWebClients() {
	}

	public static WebClient create(WebClient.Builder builder, String name, Duration connectTimeout,
			Duration responseTimeout, int maxConnections) {
		ConnectionProvider pool = ConnectionProvider.builder(name)
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			// Servers close idle keep-alive connections; reusing one they just closed looks like a lost answer.
			.maxIdleTime(Duration.ofSeconds(20))
			.build();
		HttpClient http = HttpClient.create(pool)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
			.responseTimeout(responseTimeout);
		return builder.clone().clientConnector(new ReactorClientHttpConnector(http)).build();
	}

}
