package io.caravan.camel;

/** What a failure deep in a Camel component says, without the layers of wrapping around it. */
final class CamelErrors {

    private CamelErrors() {
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
