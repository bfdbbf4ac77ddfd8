package dev.dockaudit.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Reads --color in any case, naming the three choices when the value is none of them. */
public final class ColorModeConverter implements CommandLine.ITypeConverter<ColorMode> {
    @Override
    public ColorMode convert(String value) {
        try {
            return ColorMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a colour mode; use auto, always or never");
        }
    }
}
