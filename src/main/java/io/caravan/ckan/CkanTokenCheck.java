package io.caravan.ckan;

import io.caravan.item.JobFatalException;

import java.util.Map;

/**
 * Whose token a CKAN job reads with, found out before the listing. CKAN 2.10 answers a request whose token it does
 * not know as if no token was sent, so a wrong token would hide every private and draft record without a word:
 * the token is tried on an action that needs a logged-in user ({@value #LOGGED_IN}), then on one only a sysadmin
 * may run ({@value #SYSADMIN}). A token that is set and not accepted stops the job; a token without a sysadmin
 * behind it, or none, is said plainly, with what stays behind. The token's value is never in a message.
 */
final class CkanTokenCheck {

    /** Refused to anonymous requests ("You must be logged in..."); any user may ask it of any dataset. */
    static final String LOGGED_IN = "am_following_dataset";
    /** Only a sysadmin may list the runtime config options. */
    static final String SYSADMIN = "config_option_list";

    private CkanTokenCheck() {
    }

    /**
     * @param setting the token's setting ({@code source.api-token})
     * @param set     whether the setting is there at all (empty counts as set)
     * @return what the report must say about the token, or null when it is a sysadmin's
     */
    static String check(CkanClient ckan, String setting, boolean set, CkanRecords kind) {
        String leftBehind = leftBehind(kind);
        if (set && !ckan.hasToken()) {
            throw new JobFatalException(setting + " is set but empty; remove it to read " + ckan.describe()
                    + " anonymously" + (leftBehind == null ? "" : " (" + leftBehind + ")"));
        }
        if (!set) {
            return leftBehind == null ? null : "no " + setting + ": " + ckan.describe() + " is read anonymously, so "
                    + leftBehind;
        }
        if (!ckan.allows(LOGGED_IN, Map.of("id", "caravan-token-check"))) {
            throw new JobFatalException(setting + " is not accepted by " + ckan.describe() + ": CKAN runs a"
                    + " request with a token it does not know as anonymous, and would hide private and draft records;"
                    + " set " + setting + " to a valid API token (a sysadmin's, to move everything)");
        }
        if (!ckan.allows(SYSADMIN, Map.of())) {
            return setting + " is the token of a user who is not a sysadmin"
                    + (leftBehind == null ? "" : ", so " + leftBehind);
        }
        return null;
    }

    /** What a reader who is not a sysadmin does not see of this kind; null when nothing is hidden from it. */
    private static String leftBehind(CkanRecords kind) {
        return switch (kind) {
            case DATASETS, HARVEST_SOURCES -> "private " + kind.setting() + " of organizations its user is not a"
                    + " member of, and drafts, are not listed and stay behind";
            case RESOURCE_FILES -> "the files of private datasets of organizations its user is not a member of, and"
                    + " of drafts, are not listed and stay behind";
            case USERS -> "CKAN shows it no user's e-mail address but its user's own, and the target refuses a user"
                    + " without one (email: Missing value)";
            case ORGANIZATIONS, GROUPS, MEMBERSHIPS -> null;
        };
    }
}
