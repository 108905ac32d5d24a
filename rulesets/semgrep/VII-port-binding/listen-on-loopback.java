package demo;

import java.net.InetSocketAddress;

public class Bind {
    // ruleid: listen-on-loopback-java
    InetSocketAddress a = new InetSocketAddress("127.0.0.1", port);
    // ok: listen-on-loopback-java
    InetSocketAddress b = new InetSocketAddress("0.0.0.0", port);
}
