package io.caravan.silverstripe.shortcodes;

/** A File row as a shortcode names it: its id, its SilverStripe 4 FileFilename and FileHash. */
public record AssetRef(long id, String filename, String hash) {
}
