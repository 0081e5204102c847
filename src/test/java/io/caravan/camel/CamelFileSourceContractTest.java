package io.caravan.camel;

import io.caravan.source.FolderSourceContractTest;
import io.caravan.source.ItemSource;

class CamelFileSourceContractTest extends FolderSourceContractTest {

    @Override
    protected ItemSource newSource() {
        return new CamelSource("file:" + dir + "?recursive=true", "", "", 4);
    }
}
