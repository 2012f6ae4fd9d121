package io.grouprefunds.cli;

import picocli.CommandLine.IVersionProvider;

import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/**
 * {@code --version} on every command: the version the jar was built as (its manifest's {@code Implementation-Version},
 * which the build writes), and what it runs on. Run from classes rather than the jar, there is no manifest to read.
 */
class VersionProvider implements IVersionProvider {

	static final String UNPACKAGED = "(development build: not run from the packaged jar)";

	@Override
	public String[] getVersion() {
		String version = VersionProvider.class.getPackage().getImplementationVersion();
		return new String[] { "group-refunds " + (version != null ? version : UNPACKAGED),
				"Spring Boot " + SpringBootVersion.getVersion() + ", Spring Framework " + SpringVersion.getVersion()
						+ ", Java " + Runtime.version() };
	}

}
