package io.caravan.silverstripe.shortcodes;

/** STAND-IN, replaced by the ss-shortcode branch. */
public record AssetRef(long id, String filename, String hash, boolean image) {
}
