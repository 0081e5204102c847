package io.caravan.silverstripe.shortcodes;

import io.caravan.silverstripe.files.FileNames;
import io.caravan.silverstripe.files.LegacyFileId;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites {@code <img src>} and {@code <a href>} that point at a file under {@code assets/} into SilverStripe 4
 * shortcodes, as upstream's TagsToShortcodeHelper does: {@code <img>} becomes {@code [image src="/assets/<folder>/
 * <hash10>/<name>" … id="N"]} (its other attributes kept in place, a user's {@code id} dropped), an {@code <a>}'s
 * href becomes {@code [file_link,id=N]}. The URL is read as the path it names: HTML entities and percent-encoding
 * decoded ({@code Team%20Photos}, {@code Tom&amp;Jerry.pdf}). Everything else is left byte for byte: text outside
 * the rewritten tags, external links, existing shortcodes, links with a {@code ?query} or {@code #fragment}, a tag
 * broken over lines, and any reference that names no File row, or several without regard to case (a guess could
 * point a page at the wrong file); each link into assets so left is told to the caller with its reason.
 */
public final class TagsToShortcode {

    /** A tag with a src or href in it, on one line (a tag broken over lines is left alone, as upstream does). */
    private static final Pattern TAG = Pattern.compile("<(a|img)\\s[^>]*?(src|href)\\s*=.*?>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*([\"'])(.*?)\\1", Pattern.CASE_INSENSITIVE);
    private static final Pattern SRC = Pattern.compile("src\\s*=\\s*([\"'])(.*?)\\1", Pattern.CASE_INSENSITIVE);
    private static final Pattern USER_ID = Pattern.compile("\\s+id\\s*=\\s*([\"']).*?\\1", Pattern.CASE_INSENSITIVE);
    private static final Pattern IMG_START = Pattern.compile("^<img", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG_END = Pattern.compile("\\s*/?>$");
    private static final Pattern ASSET = Pattern.compile("^/?assets/([^?#\"'<>]+)$");
    private static final Pattern INTO_ASSETS = Pattern.compile("^/?assets/");
    private static final Pattern HASH_FOLDER = Pattern.compile("^(.*?)(?:^|/)[0-9a-f]{10}/([^/]+)$");

    private final AssetIndex index;

    public TagsToShortcode(AssetIndex index) {
        this.index = index;
    }

    public String rewrite(String html) {
        return rewrite(html, link -> { });
    }

    /** The same, telling {@code unresolved} of every link into assets that is left as it was. */
    public String rewrite(String html, Consumer<UnresolvedLink> unresolved) {
        Matcher tags = TAG.matcher(html);
        StringBuilder out = null;
        int copied = 0;
        while (tags.find()) {
            String tag = tags.group();
            boolean image = tags.group(1).equalsIgnoreCase("img");
            Optional<String> rewritten = image ? image(tag, unresolved) : link(tag, unresolved);
            if (rewritten.isPresent()) {
                out = out == null ? new StringBuilder(html.length() + 32) : out;
                out.append(html, copied, tags.start()).append(rewritten.get());
                copied = tags.end();
            }
        }
        return out == null ? html : out.append(html, copied, html.length()).toString();
    }

    private Optional<String> link(String tag, Consumer<UnresolvedLink> unresolved) {
        Matcher href = HREF.matcher(tag);
        if (!href.find()) {
            return Optional.empty();
        }
        return resolve(href.group(2), unresolved).map(file -> tag.substring(0, href.start())
                + "href=\"[file_link,id=" + file.id() + "]\"" + tag.substring(href.end()));
    }

    private Optional<String> image(String tag, Consumer<UnresolvedLink> unresolved) {
        Matcher src = SRC.matcher(tag);
        if (!src.find()) {
            return Optional.empty();
        }
        return resolve(src.group(2), unresolved).map(file -> {
            String withSrc = tag.substring(0, src.start()) + "src=\"/assets/" + FileNames.hashPath(file.filename(),
                    file.hash()) + "\"" + tag.substring(src.end());
            String withoutId = USER_ID.matcher(withSrc).replaceAll("");
            String opened = IMG_START.matcher(withoutId).replaceFirst("[image");
            return TAG_END.matcher(opened).replaceFirst(" id=\"" + file.id() + "\"]");
        });
    }

    /**
     * The File row a URL names: its path under assets/, decoded, cleaned as the migration cleans names, its variant
     * removed. A path several rows match without regard to case stops the search: it names none of them for sure.
     */
    private Optional<AssetRef> resolve(String url, Consumer<UnresolvedLink> unresolved) {
        String decoded = LinkText.decode(url);
        Matcher asset = ASSET.matcher(decoded);
        if (!asset.matches()) {
            if (INTO_ASSETS.matcher(decoded).find()) {
                unresolved.accept(new UnresolvedLink(url, "a link with a ?query or #fragment is left as it is"));
            }
            return Optional.empty();
        }
        String path = FileNames.clean(asset.group(1));
        for (String candidate : candidates(path)) {
            AssetLookup found = index.find(candidate);
            if (found.isAmbiguous()) {
                unresolved.accept(new UnresolvedLink(url, found.candidates().size() + " File rows match assets/"
                        + candidate + " without regard to case (" + String.join(", ", found.candidates().stream()
                        .map(r -> "#" + r.id() + " " + r.filename()).toList()) + ") and none exactly"));
                return Optional.empty();
            }
            if (found.found() != null) {
                return found.ref();
            }
        }
        unresolved.accept(new UnresolvedLink(url, "no File row has the FileFilename " + path));
        return Optional.empty();
    }

    /** What an asset path may stand for: an SS3 file or variant, an SS4 variant, a file in its hash folder. */
    private static List<String> candidates(String path) {
        List<String> found = new ArrayList<>();
        LegacyFileId.parse(path).ifPresent(id -> found.add(id.filename()));
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        int variant = name.indexOf("__");
        if (variant > 0) {
            int dot = name.indexOf('.', variant);
            found.add(path.substring(0, slash + 1) + name.substring(0, variant) + (dot < 0 ? "" : name.substring(dot)));
        }
        Matcher hashed = HASH_FOLDER.matcher(found.isEmpty() ? path : found.get(found.size() - 1));
        if (hashed.matches()) {
            found.add(hashed.group(1).isEmpty() ? hashed.group(2) : hashed.group(1) + "/" + hashed.group(2));
        }
        return found;
    }
}
