package io.caravan.silverstripe;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Scales an image down with ImageIO, reading only every n-th pixel so that a large image is never decoded whole. */
final class ThumbnailMaker {

    /** A bounding box; {@link #encoded()} is how SilverStripe names it in a variant ({@code [352,264]} in base64). */
    record Box(int width, int height) {
        String encoded() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("[" + width + "," + height + "]").getBytes(StandardCharsets.UTF_8));
        }
    }

    private ThumbnailMaker() {
    }

    /** One thumbnail to make: its box and where it goes. */
    record Wanted(Box box, Path path) {
    }

    /**
     * Writes {@code image} scaled to fit each box (never enlarged) at each path, atomically. Each thumbnail is read
     * with the subsampling its own box calls for, never another's, so that its bytes depend only on the image and
     * the box: a rerun that makes one thumbnail of two makes it as a run that made both. Boxes that call for the
     * same subsampling share one decoding.
     *
     * @return false when ImageIO has no reader or writer for the format
     */
    static boolean fitMax(Path image, List<Wanted> thumbnails, String format) throws IOException {
        Map<Integer, List<Wanted>> bySubsampling = new TreeMap<>();
        for (Wanted t : thumbnails) {
            bySubsampling.computeIfAbsent(subsampling(image, t.box()), k -> new ArrayList<>()).add(t);
        }
        for (Map.Entry<Integer, List<Wanted>> e : bySubsampling.entrySet()) {
            if (e.getKey() < 0 || !write(image, e.getKey(), e.getValue(), format)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every how many pixels the image is read for this box: at least twice the thumbnail's size is read, then scaled
     * smoothly; -1 when ImageIO cannot read the image.
     */
    private static int subsampling(Path image, Box box) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return -1;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                double scale = scale(box, reader.getWidth(0), reader.getHeight(0));
                return Math.max(1, (int) Math.floor(1 / (scale * 2)));
            } finally {
                reader.dispose();
            }
        }
    }

    private static boolean write(Path image, int step, List<Wanted> thumbnails, String format) throws IOException {
        BufferedImage read;
        int width;
        int height;
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in, true, true);
                width = reader.getWidth(0);
                height = reader.getHeight(0);
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                read = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
        for (Wanted t : thumbnails) {
            double scale = scale(t.box(), width, height);
            int tw = Math.max(1, (int) Math.round(width * scale));
            int th = Math.max(1, (int) Math.round(height * scale));
            BufferedImage scaled = new BufferedImage(tw, th, read.getColorModel().hasAlpha() && !format.startsWith("jp")
                    ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(read, 0, 0, tw, th, null);
            g.dispose();
            Files.createDirectories(t.path().getParent());
            Path temp = t.path().resolveSibling("." + t.path().getFileName() + ".caravan-tmp");
            if (!ImageIO.write(scaled, format.equals("jpeg") ? "jpg" : format, temp.toFile())) {
                Files.deleteIfExists(temp);
                return false;
            }
            Files.move(temp, t.path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }

    private static double scale(Box box, int width, int height) {
        return Math.min(1.0, Math.min((double) box.width() / width, (double) box.height() / height));
    }
}
