package io.caravan.silverstripe;

import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code generate-cms-thumbnails} makes the same preview of an image whichever of its previews are still wanted: a
 * kill between an image's two previews leaves only the 60×60 one to make, and the rerun must make it byte for byte
 * as an uninterrupted run does. On a real MariaDB and PostgreSQL.
 */
class CmsPreviewTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_make_each_preview_from_the_image_and_its_size_alone(SiteServers.Kind kind) throws Exception {
        Ss31Site s = Ss31Site.seed(SiteFixture.create(kind, dir));
        s.site.home(dir.resolve("home"), Map.of()).caravan("run", "silverstripe");
        String image = s.file("photo").get("ss4").asText();
        Path large = s.site.assets.resolve(image.replace(".jpg", "__FitMax" + new ThumbnailMaker.Box(352, 264)
                .encoded() + ".jpg"));
        Path small = s.site.assets.resolve(image.replace(".jpg", "__FitMax" + new ThumbnailMaker.Box(60, 60)
                .encoded() + ".jpg"));
        byte[] largeBytes = Files.readAllBytes(large);
        byte[] smallBytes = Files.readAllBytes(small);

        // as a kill after the first preview leaves it: the second missing, the image not recorded as done
        Files.delete(small);
        TestHome afterKill = s.site.home(dir.resolve("home-after-kill"), Map.of());
        assertThat(afterKill.caravan("run", "silverstripe", "--only", "generate-cms-thumbnails")).isZero();

        assertThat(Files.readAllBytes(small)).as("the 60×60 preview, made alone").isEqualTo(smallBytes);
        assertThat(Files.readAllBytes(large)).as("the 352×264 one, untouched").isEqualTo(largeBytes);
    }
}
