package io.caravan.camel;

import io.caravan.source.ItemSource;
import io.caravan.source.SourceContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class CamelFileSourceContractTest extends SourceContract {

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
        return new CamelSource("file:" + dir + "?recursive=true", "", "", 4);
    }
}
