package io.caravan.item;

/** Job-fatal: bad credentials, target gone. The job stops cleanly with exit code 2. */
public class JobFatalException extends RuntimeException {

    public JobFatalException(String message) {
        super(message);
    }

    public JobFatalException(String message, Throwable cause) {
        super(message, cause);
    }
}
