package io.caravan.camel;

import io.caravan.target.ItemTarget;
import io.caravan.target.TargetContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class CamelFileTargetContractTest extends TargetContract {

    @TempDir
    Path dir;

    @Override
    protected ItemTarget newTarget() {
        return new CamelTarget("file:" + dir.resolve("root"), "");
    }

    @Override
    protected boolean verifiesWrites() {
        return false;
    }

    @Override
    protected boolean hasRoot() {
        return true;
    }

    @Override
    protected boolean lists() {
        return false;
    }
}
