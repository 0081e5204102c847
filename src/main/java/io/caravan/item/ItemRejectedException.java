package io.caravan.item;

/** Item-fatal: this item cannot move (bad input); it goes to the rejects file and the job goes on. */
public class ItemRejectedException extends RuntimeException {

    private final String stage;

    public ItemRejectedException(String stage, String reason) {
        super(reason);
        this.stage = stage;
    }

    public ItemRejectedException(String stage, String reason, Throwable cause) {
        super(reason, cause);
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }
}
