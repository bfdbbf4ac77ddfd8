package dev.dockaudit.testing;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.util.TempFiles;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;

/** Builds analyzer inputs from bytes, as the layer scanner would hand them over. */
public final class AnalyzerInputs {
    private AnalyzerInputs() {
    }

    public static LayerFile file(String path, long size) {
        return new LayerFile(path, LayerFile.Type.FILE, size, 0644, 0, 0, null, 0);
    }

    public static AnalyzerInput of(String path, byte[] data, TempFiles temp) {
        LayerVisitor.ContentReader reader = new LayerVisitor.ContentReader() {
            @Override
            public byte[] read(int maxBytes) {
                return data.length <= maxBytes ? data : Arrays.copyOf(data, maxBytes);
            }

            @Override
            public InputStream stream() {
                return new ByteArrayInputStream(data);
            }
        };
        return new AnalyzerInput(file(path, data.length), reader, temp);
    }
}
