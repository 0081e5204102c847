package io.caravan.verify;

import java.util.function.Consumer;

/** A target that compares itself with its source in its own terms (a database: row counts and checksums). */
public interface SelfVerifying {

    VerifyResult verify(Consumer<Difference> onDifference);
}
