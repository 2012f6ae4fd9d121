package io.grouprefunds.system;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who runs this process, as every database session of the job tells PostgreSQL ({@code set_config} of
 * {@code refunds.os_user}, {@code refunds.host}, {@code refunds.process}, {@code refunds.command}), so that the audit
 * trail's actor columns ({@code refund_event}, V5) are filled by the database whatever code writes the row.
 *
 * @param osUser the OS user ({@code user.name})
 * @param host this machine's host name
 * @param process {@code host:pid} of this JVM
 * @param command the subcommand and its arguments, secrets replaced by {@code ***} (see {@link #redact})
 */
public record SessionActor(String osUser, String host, String process, String command) {

	/** The longest command line recorded; a longer one is cut (a settings list can be long). */
	static final int MAX_COMMAND = 2000;

	static final String HIDDEN = "***";

	/** An option or setting whose name says it holds a secret: its value is never recorded. */
	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i).*(secret|password|passwd|pwd|key|token|credential|signature|auth).*");

	/** {@code --name=value} or {@code -Dname=value}. */
	private static final Pattern NAMED_VALUE = Pattern.compile("^(--?[^=\\s]+)=(.*)$", Pattern.DOTALL);

	/** {@code scheme://user:password@host}: the password. */
	private static final Pattern URL_USER_INFO = Pattern.compile("(://[^/@:\\s]*):[^/@\\s]*@");

	/** {@code password=…}, {@code secret-key=…} inside a value (a JDBC URL's parameters, a list of settings). */
	private static final Pattern SECRET_PARAMETER = Pattern.compile(
			"(?i)((?:[a-z0-9_.-]*)(?:secret|password|passwd|pwd|key|token|credential|signature|auth)[a-z0-9_.-]*=)"
					+ "[^&;,\\s]*");

	/** This process, running the command {@code args} (as typed, secrets included: they are removed here). */
	public static SessionActor of(List<String> args) {
		String host = hostName();
		return new SessionActor(System.getProperty("user.name"), host, host + ":" + ProcessHandle.current().pid(),
				redact(args));
	}

	/**
	 * The command line as it may be recorded: each argument quoted when it holds a space, the value of every option
	 * or setting whose name says secret, password, key, token, credential or auth replaced by {@code ***} (in
	 * {@code --name=value} and in {@code --name value}), and any password in a URL ({@code user:pw@}) or a URL
	 * parameter ({@code password=…}) too.
	 */
	public static String redact(List<String> args) {
		List<String> out = new ArrayList<>();
		boolean hideNext = false;
		for (String arg : args) {
			String shown;
			if (hideNext) {
				shown = HIDDEN;
				hideNext = false;
			}
			else {
				Matcher named = NAMED_VALUE.matcher(arg);
				if (named.matches() && SECRET_NAME.matcher(named.group(1)).matches()) {
					shown = named.group(1) + "=" + HIDDEN;
				}
				else {
					shown = inValue(arg);
					// "--password VALUE": an option that names a secret takes the next argument as its value
					hideNext = arg.startsWith("-") && !arg.contains("=") && SECRET_NAME.matcher(arg).matches();
				}
			}
			out.add(quoted(shown));
		}
		String line = String.join(" ", out);
		return line.length() <= MAX_COMMAND ? line : line.substring(0, MAX_COMMAND - 1) + "…";
	}

	private static String inValue(String value) {
		String hidden = URL_USER_INFO.matcher(value).replaceAll("$1:" + Matcher.quoteReplacement(HIDDEN) + "@");
		return SECRET_PARAMETER.matcher(hidden).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
	}

	private static String quoted(String arg) {
		if (!arg.isEmpty() && arg.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"')) {
			return arg;
		}
		return "'" + arg.replace("'", "'\\''") + "'";
	}

	/**
	 * The SQL every new connection runs first: one {@code set_config} per setting, session-wide, each value a
	 * PostgreSQL escape-string literal (backslashes and quotes doubled, control characters dropped), so no value can
	 * end the literal whatever it holds.
	 */
	public String initSql() {
		return "SELECT set_config('refunds.os_user', " + literal(osUser) + ", false), set_config('refunds.host', "
				+ literal(host) + ", false), set_config('refunds.process', " + literal(process) + ", false), "
				+ "set_config('refunds.command', " + literal(command) + ", false)";
	}

	static String literal(String value) {
		if (value == null) {
			return "''";
		}
		StringBuilder text = new StringBuilder("E'");
		value.codePoints().forEach(c -> {
			if (c == '\\') {
				text.append("\\\\");
			}
			else if (c == '\'') {
				text.append("''");
			}
			else if (Character.isISOControl(c)) {
				text.append(' ');
			}
			else {
				text.appendCodePoint(c);
			}
		});
		return text.append('\'').toString();
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (java.io.IOException ex) {
			String env = System.getenv("HOSTNAME");
			return env != null && !env.isBlank() ? env : "unknown-host";
		}
	}

	@Override
	public String toString() {
		return osUser + "@" + host + " (" + process + "): " + command;
	}

}
