package io.caravan.silverstripe.shortcodes;

import java.util.Optional;

/** STAND-IN, replaced by the ss-shortcode branch. */
public interface AssetIndex {
    Optional<AssetRef> find(String filename);
}
