package io.caravan.camel;

import io.caravan.job.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The query parameters of an http: record source's pages, by source.paging. */
class HttpRecordsPagingTest {

    @Test
    void should_send_the_index_of_each_pages_first_record_when_paging_by_offset() {
        HttpRecords.Paging offset = HttpRecords.Paging.of("offset", "start", 50, "rows", 1);

        assertThat(offset.of(0)).isEqualTo("start=0&rows=50");
        assertThat(offset.of(3)).isEqualTo("start=150&rows=50");
    }

    @Test
    void should_send_the_page_number_from_the_first_page_when_paging_by_page() {
        HttpRecords.Paging page = HttpRecords.Paging.of("page", "page", 25, "", 1);

        assertThat(page.of(0)).isEqualTo("page=1");
        assertThat(page.of(2)).isEqualTo("page=3");
    }

    @Test
    void should_ask_once_without_a_page_parameter() {
        HttpRecords.Paging none = HttpRecords.Paging.of("offset", "", 100, "rows", 1);

        assertThat(none.pages()).isFalse();
        assertThat(none.of(0)).isEmpty();
    }

    @Test
    void should_name_the_setting_of_an_unknown_scheme() {
        assertThatThrownBy(() -> HttpRecords.Paging.of("cursor", "after", 10, "", 1))
                .isInstanceOf(ConfigException.class).hasMessageContaining("source.paging 'cursor'");
    }
}
