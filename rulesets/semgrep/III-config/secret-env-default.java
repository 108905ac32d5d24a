package demo;

import org.springframework.beans.factory.annotation.Value;

public class Tokens {
    // ruleid: secret-env-default-java
    @Value("${jwt.secret:dev-jwt-secret}")
    private String jwtSecret;

    // ok: secret-env-default-java
    @Value("${jwt.secret}")
    private String jwtSecret2;

    // ok: secret-env-default-java
    @Value("${server.port:8080}")
    private int port;
}
