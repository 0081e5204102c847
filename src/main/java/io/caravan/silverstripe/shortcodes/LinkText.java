package io.caravan.silverstripe.shortcodes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An attribute value as the path it names: HTML entities first ({@code &amp;}, {@code &#39;}), then percent-encoding
 * as UTF-8 ({@code Team%20Photos}), as SS3's TinyMCE wrote names with spaces. {@code +} stays a plus (it is a path,
 * not a query), and an escape that is not valid UTF-8 is kept as written.
 */
final class LinkText {

    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);");
    private static final Map<String, String> NAMED = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"",
            "apos", "'", "nbsp", "\u00a0");
    private static final Pattern ESCAPES = Pattern.compile("(%[0-9a-fA-F]{2})+");

    private LinkText() {
    }

    static String decode(String attribute) {
        return percentDecoded(entitiesDecoded(attribute));
    }

    private static String entitiesDecoded(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                replacement = codePoint(Integer.parseInt(name.substring(2), 16), m.group());
            } else if (name.startsWith("#")) {
                replacement = codePoint(Integer.parseInt(name.substring(1)), m.group());
            } else {
                replacement = NAMED.getOrDefault(name, m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    private static String codePoint(int cp, String asWritten) {
        return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : asWritten;
    }

    private static String percentDecoded(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        Matcher m = ESCAPES.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            String run = m.group();
            for (int i = 0; i < run.length(); i += 3) {
                bytes.write(Integer.parseInt(run.substring(i + 1, i + 3), 16));
            }
            String decoded;
            try {
                decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
            } catch (CharacterCodingException e) {
                decoded = run;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        return m.appendTail(out).toString();
    }
}
