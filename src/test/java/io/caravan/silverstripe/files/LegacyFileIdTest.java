package io.caravan.silverstripe.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of LegacyFileID_cases.json and LegacyThumbnail_cases.json, read where the fixtures are. */
class LegacyFileIdTest {

    private static final Path FIXTURES = Path.of("../shared/fixtures/silverstripe");

    @TestFactory
    List<DynamicTest> legacy_file_id_cases() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(FIXTURES.resolve("LegacyFileID_cases.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode c : cases.get("parse")) {
            String fileId = c.get("file_id").asText();
            tests.add(DynamicTest.dynamicTest("P" + i++ + " " + fileId, () -> assertThat(LegacyFileId.parse(fileId))
                    .contains(new LegacyFileId(c.get("filename").asText(), c.get("variant").asText()))));
        }
        i = 0;
        for (JsonNode c : cases.get("unparseable")) {
            tests.add(DynamicTest.dynamicTest("U" + i++ + " " + c.asText(),
                    () -> assertThat(LegacyFileId.parse(c.asText())).isEmpty()));
        }
        i = 0;
        for (JsonNode c : cases.get("variant_of")) {
            String fileId = c.get("file_id").asText();
            String of = c.get("of_filename").asText();
            tests.add(DynamicTest.dynamicTest("V" + i++ + " " + fileId + " of " + of,
                    () -> assertThat(LegacyFileId.isVariantOf(fileId, of)).isEqualTo(c.get("expected").asBoolean())));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> legacy_thumbnail_cases() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(FIXTURES.resolve("LegacyThumbnail_cases.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> assertThat(
                    LegacyFileId.parse(c.get("legacy").asText()).map(LegacyFileId::ss4VariantPath))
                    .contains(c.get("new").asText())));
        }
        return tests;
    }

    @org.junit.jupiter.api.Test
    void variants_go_before_the_first_dot_and_into_the_hash_folder() {
        assertThat(LegacyFileId.variantPath("a/sam_double_dots.tar.gz", "resizeXYZ"))
                .isEqualTo("a/sam_double_dots__resizeXYZ.tar.gz");
        assertThat(LegacyFileId.variantPath("sam.jpg", "")).isEqualTo("sam.jpg");
        assertThat(LegacyFileId.hashVariantPath("Folder/secret.jpg", "33be1b95cb", "FitMaxWzYwLDYwXQ"))
                .isEqualTo("Folder/33be1b95cb/secret__FitMaxWzYwLDYwXQ.jpg");
    }

    @org.junit.jupiter.api.Test
    void an_ss3_name_with_double_underscores_parses_only_when_asked() {
        assertThat(LegacyFileId.parse("_resampled/resizeXYZ/bad__image.gif")).isEmpty();
        assertThat(LegacyFileId.parseAllowingDoubleUnderscores("_resampled/resizeXYZ/scaleABC/bad__image.gif"))
                .contains(new LegacyFileId("bad__image.gif", "resizeXYZ_scaleABC"));
        assertThat(LegacyFileId.parseAllowingDoubleUnderscores("a/_resampled/ScaleWidthWzEwMF0-bad__image.gif"))
                .contains(new LegacyFileId("a/bad__image.gif", "ScaleWidthWzEwMF0"));
    }
}
