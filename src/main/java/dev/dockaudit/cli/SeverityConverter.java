package dev.dockaudit.cli;

import dev.dockaudit.report.Severity;
import picocli.CommandLine;

/** Reads a severity name in any case, with a message that lists the valid ones. */
public final class SeverityConverter implements CommandLine.ITypeConverter<Severity> {
    @Override
    public Severity convert(String value) {
        try {
            return Severity.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
