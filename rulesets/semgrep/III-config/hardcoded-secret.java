package demo;

public class Secrets {
    // ruleid: hardcoded-secret-java
    private static final String JWT_SECRET = "my-jwt-secret";
    // ruleid: hardcoded-secret-java
    private String dbPassword = "hunter22";

    // ok: hardcoded-secret-java
    private final String apiKey = System.getenv("API_KEY");
    // ok: hardcoded-secret-java
    private static final String PASSWORD_PARAM = "password";
}
