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

    /**
     * Writes {@code image} scaled to fit the box (never enlarged) at {@code thumbnail}, atomically.
     *
     * @return false when ImageIO has no reader or writer for the format
     */
    static boolean fitMax(Path image, Path thumbnail, Box box, String format) throws IOException {
        BufferedImage scaled;
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return false;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                double scale = Math.min(1.0, Math.min((double) box.width() / w, (double) box.height() / h));
                ImageReadParam param = reader.getDefaultReadParam();
                // subsample to at most twice the thumbnail's size, then scale smoothly
                int step = Math.max(1, (int) Math.floor(1 / (scale * 2)));
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage read = reader.read(0, param);
                int tw = Math.max(1, (int) Math.round(w * scale));
                int th = Math.max(1, (int) Math.round(h * scale));
                scaled = new BufferedImage(tw, th, read.getColorModel().hasAlpha() && !format.startsWith("jp")
                        ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
                Graphics2D g = scaled.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(read, 0, 0, tw, th, null);
                g.dispose();
            } finally {
                reader.dispose();
            }
        }
        Files.createDirectories(thumbnail.getParent());
        Path temp = thumbnail.resolveSibling("." + thumbnail.getFileName() + ".caravan-tmp");
        if (!ImageIO.write(scaled, format.equals("jpeg") ? "jpg" : format, temp.toFile())) {
            Files.deleteIfExists(temp);
            return false;
        }
        Files.move(temp, thumbnail, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }
}
