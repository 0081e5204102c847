package io.caravan.source;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** The folder source; other sources that read a folder (a camel-file endpoint) pass the same with their own. */
public class FolderSourceContractTest extends SourceContract {

    @TempDir
    protected Path dir;

    @Override
    protected void put(String key, byte[] body) throws Exception {
        Path file = dir.resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, body);
    }

    @Override
    protected void remove(String key) throws Exception {
        Files.delete(dir.resolve(key));
    }

    @Override
    protected ItemSource newSource() {
        return new FolderSource(dir);
    }
}
