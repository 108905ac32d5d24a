package demo;

import java.sql.DriverManager;

public class Repo {
    void open() throws Exception {
        // ruleid: service-host-in-code-java
        DriverManager.getConnection("jdbc:postgresql://localhost:5432/app", "app", System.getenv("PW"));
        // ok: service-host-in-code-java
        DriverManager.getConnection(System.getenv("JDBC_URL"));
    }
}
