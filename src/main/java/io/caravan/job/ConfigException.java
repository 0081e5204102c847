package io.caravan.job;

/** Bad configuration: the job cannot start. Exit code 2, with the key and the reason. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
