package dev.starling.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This process's host name and pid, looked up once. */
public final class Hosts {
    private static final String HOST = lookUpHost();
    private static final long PID = ProcessHandle.current().pid();

    private Hosts() {
    }

    public static String host() {
        return HOST;
    }

    public static long pid() {
        return PID;
    }

    private static String lookUpHost() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
