package io.caravan.silverstripe.shortcodes;

import java.util.Optional;

/** Looks a file up by its SilverStripe 4 FileFilename, relative to the assets folder ({@code folder/name.jpg}). */
public interface AssetIndex {

    Optional<AssetRef> find(String filename);
}
