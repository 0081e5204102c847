package io.caravan.source;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class FolderSourceContractTest extends SourceContract {

    @TempDir
    Path dir;

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
