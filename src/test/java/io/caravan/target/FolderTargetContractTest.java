package io.caravan.target;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class FolderTargetContractTest extends TargetContract {

    @TempDir
    Path dir;

    @Override
    protected ItemTarget newTarget() {
        return new FolderTarget(dir.resolve("root"), false, true);
    }

    @Override
    protected boolean verifiesWrites() {
        return true;
    }

    @Override
    protected boolean hasRoot() {
        return true;
    }
}
