package io.grouprefunds.sandbox;

import java.io.IOException;
import java.io.OutputStream;

import com.sun.net.httpserver.HttpExchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes an HTTP answer, and logs it for whoever watches the sandbox. */
final class Responses {

	static final String JSON = "application/json; charset=utf-8";

	static final String HTML = "text/html; charset=utf-8";

	private static final Logger log = LoggerFactory.getLogger(Responses.class);

	private Responses() {
	}

	static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		log.debug("Sandbox {} {} -> {}", exchange.getRequestMethod(), exchange.getRequestURI(), status);
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

}
