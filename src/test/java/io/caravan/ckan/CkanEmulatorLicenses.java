package io.caravan.ckan;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;

/** CKAN's default license register: license_title, license_url and isopen of a dataset follow its license_id. */
final class CkanEmulatorLicenses {

    private record License(String title, String url, boolean open) { }

    private static final String OD = "http://www.opendefinition.org/licenses/";
    private static final Map<String, License> REGISTER = Map.ofEntries(
            Map.entry("notspecified", new License("License not specified", null, false)),
            Map.entry("odc-pddl", new License("Open Data Commons Public Domain Dedication and License (PDDL)",
                    OD + "odc-pddl", true)),
            Map.entry("odc-odbl", new License("Open Data Commons Open Database License (ODbL)", OD + "odc-odbl", true)),
            Map.entry("odc-by", new License("Open Data Commons Attribution License", OD + "odc-by", true)),
            Map.entry("cc-zero", new License("Creative Commons CCZero", OD + "cc-zero", true)),
            Map.entry("cc-by", new License("Creative Commons Attribution", OD + "cc-by", true)),
            Map.entry("cc-by-sa", new License("Creative Commons Attribution Share-Alike", OD + "cc-by-sa", true)),
            Map.entry("gfdl", new License("GNU Free Documentation License", OD + "gfdl", true)),
            Map.entry("other-open", new License("Other (Open)", null, true)),
            Map.entry("other-pd", new License("Other (Public Domain)", null, true)),
            Map.entry("other-at", new License("Other (Attribution)", null, true)),
            Map.entry("uk-ogl", new License("UK Open Government Licence (OGL)",
                    "http://reference.data.gov.uk/id/open-government-licence", true)),
            Map.entry("cc-nc", new License("Creative Commons Non-Commercial (Any)",
                    "http://creativecommons.org/licenses/by-nc/2.0/", false)),
            Map.entry("other-nc", new License("Other (Non-Commercial)", null, false)),
            Map.entry("other-closed", new License("Other (Not Open)", null, false)));

    private CkanEmulatorLicenses() {
    }

    static Optional<String> title(String licenseId) {
        return Optional.ofNullable(REGISTER.get(licenseId)).map(License::title);
    }

    /** Sets license_title, license_url (only for a registered license with one) and isopen. */
    static void dictize(ObjectNode dataset) {
        String id = dataset.path("license_id").asText(null);
        License license = id == null ? null : REGISTER.get(id);
        dataset.remove("license_url");
        if (license == null) {
            if (id == null) {
                dataset.putNull("license_title");
            } else {
                dataset.put("license_title", id);
            }
            dataset.put("isopen", false);
            return;
        }
        dataset.put("license_title", license.title()).put("isopen", license.open());
        if (license.url() != null) {
            dataset.put("license_url", license.url());
        }
    }
}
