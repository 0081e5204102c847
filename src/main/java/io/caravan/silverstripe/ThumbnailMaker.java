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
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

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
     * Writes {@code image} scaled to fit each box (never enlarged) at each path, atomically; the image is decoded
     * once, subsampled for the largest box.
     *
     * @return false when ImageIO has no reader or writer for the format
     */
    static boolean fitMax(Path image, List<Wanted> thumbnails, String format) throws IOException {
        BufferedImage read;
        int width;
        int height;
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return false;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                width = reader.getWidth(0);
                height = reader.getHeight(0);
                double largest = thumbnails.stream().mapToDouble(t -> scale(t.box(), width, height)).max().orElse(1);
                ImageReadParam param = reader.getDefaultReadParam();
                // every step-th pixel: at least twice the largest thumbnail's size is read, then scaled smoothly
                int step = Math.max(1, (int) Math.floor(1 / (largest * 2)));
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
