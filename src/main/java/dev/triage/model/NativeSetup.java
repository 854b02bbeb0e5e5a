package dev.triage.model;

/**
 * Settings the native libraries read once, before they load. DJL must never call home (its usage tracking
 * and its metadata look-ups of 169.254.169.254): Triage runs offline, often with no network at all.
 */
public final class NativeSetup {

    private NativeSetup() {
    }

    public static synchronized void configure() {
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("DJL_OFFLINE", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
