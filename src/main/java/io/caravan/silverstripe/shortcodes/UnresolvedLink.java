package io.caravan.silverstripe.shortcodes;

/** A link into {@code assets/} that the rewrite left as it was: the URL as written, and why no row was chosen. */
public record UnresolvedLink(String url, String reason) {
}
