package io.caravan.ckan;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A multipart/form-data body split into its plain fields and its file parts (by field name). */
final class CkanEmulatorMultipart {

    record FilePart(String filename, String contentType, byte[] bytes) { }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

    final Map<String, String> fields = new LinkedHashMap<>();
    final Map<String, FilePart> files = new LinkedHashMap<>();

    static boolean is(String contentType) {
        return contentType != null && contentType.toLowerCase().startsWith("multipart/form-data");
    }

    static CkanEmulatorMultipart parse(String contentType, byte[] body) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new IllegalArgumentException("multipart without a boundary");
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        CkanEmulatorMultipart multipart = new CkanEmulatorMultipart();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break; // the closing delimiter
            }
            start += 2; // CRLF after the delimiter
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                break;
            }
            multipart.add(Arrays.copyOfRange(body, start, next - 2)); // minus the CRLF before the delimiter
            at = next;
        }
        return multipart;
    }

    private void add(byte[] part) {
        int headersEnd = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        String headers = new String(part, 0, headersEnd, StandardCharsets.UTF_8);
        byte[] content = Arrays.copyOfRange(part, headersEnd + 4, part.length);
        String name = find(NAME, headers).orElse("");
        Optional<String> filename = find(FILENAME, headers);
        if (filename.isPresent()) {
            String type = headers.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring("content-type:".length()).trim()).findFirst().orElse(null);
            files.put(name, new FilePart(filename.get(), type, content));
        } else {
            fields.put(name, new String(content, StandardCharsets.UTF_8));
        }
    }

    private static Optional<String> find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
