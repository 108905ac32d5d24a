package demo;

import java.net.InetSocketAddress;
import com.sun.net.httpserver.HttpServer;

public class Server {
    void start() throws Exception {
        // ruleid: hardcoded-listen-port-java
        HttpServer.create(new InetSocketAddress(8080), 0);
        // ok: hardcoded-listen-port-java
        HttpServer.create(new InetSocketAddress(Integer.parseInt(System.getenv("PORT"))), 0);
    }
}
