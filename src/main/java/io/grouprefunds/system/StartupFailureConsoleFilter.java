package io.grouprefunds.system;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps Spring's own report of a failed start (the "APPLICATION FAILED TO START" box and the cancelled refresh) off
 * the console: the command line says what failed in one line of its own ("configuration error: refunds.x: rule"), and
 * the log file still has the full report.
 */
public class StartupFailureConsoleFilter extends Filter<ILoggingEvent> {

	@Override
	public FilterReply decide(ILoggingEvent event) {
		String logger = event.getLoggerName();
		if (logger.startsWith("org.springframework.boot.diagnostics.")) {
			return FilterReply.DENY;
		}
		String message = event.getMessage();
		if (logger.endsWith("ApplicationContext") && message != null
				&& message.startsWith("Exception encountered during context initialization")) {
			return FilterReply.DENY;
		}
		return FilterReply.NEUTRAL;
	}

}
