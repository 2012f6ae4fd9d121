package io.grouprefunds.system;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the framework's "error executing step" lines about a refused file off the console: a refusal is an answer
 * for the operator, given once, in the command's last line. The log file still records everything.
 */
public class RefusalConsoleFilter extends Filter<ILoggingEvent> {

	private static final String REFUSAL = "io.grouprefunds.ingest.FileRefusedException";

	@Override
	public FilterReply decide(ILoggingEvent event) {
		if (event.getLoggerName().startsWith("io.grouprefunds.")) {
			return FilterReply.NEUTRAL;
		}
		for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
			if (REFUSAL.equals(cause.getClassName())) {
				return FilterReply.DENY;
			}
		}
		return FilterReply.NEUTRAL;
	}

}
