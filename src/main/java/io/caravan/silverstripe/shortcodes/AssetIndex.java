package io.caravan.silverstripe.shortcodes;

/** Looks a file up by its SilverStripe 4 FileFilename, relative to the assets folder ({@code folder/name.jpg}). */
public interface AssetIndex {

    /** The row named exactly so, else the only one named so without regard to case ({@link AssetLookup#choose}). */
    AssetLookup find(String filename);
}
