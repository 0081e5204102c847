package io.caravan.silverstripe.shortcodes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LinkTextTest {

    @ParameterizedTest(name = "{0} names {1}")
    @CsvSource(delimiter = '|', value = {
            "assets/Uploads/Team%20Photos/alice.jpg | assets/Uploads/Team Photos/alice.jpg",
            "assets/my%20holiday%20photo.jpg | assets/my holiday photo.jpg",
            "assets/Tom&amp;Jerry.pdf | assets/Tom&Jerry.pdf",
            "assets/it&#39;s.pdf | assets/it's.pdf",
            "assets/caf%C3%A9.jpg | assets/café.jpg",
            "assets/caf&#xE9;.jpg | assets/café.jpg",
            "assets/a+b.pdf | assets/a+b.pdf",
            "assets/100%25.pdf | assets/100%.pdf",
            "assets/bad%FF.pdf | assets/bad%FF.pdf",
            "assets/50%.pdf | assets/50%.pdf",
            "assets/&unknown;.pdf | assets/&unknown;.pdf",
            "assets/%26amp%3B.pdf | assets/&amp;.pdf"})
    void should_read_an_attribute_as_the_path_it_names(String attribute, String path) {
        assertThat(LinkText.decode(attribute)).isEqualTo(path);
    }
}
