package demo;

import java.sql.DriverManager;

public class Repo {
    void open() throws Exception {
        // ruleid: hardcoded-service-host-java
        DriverManager.getConnection("jdbc:postgresql://localhost:5432/app", "app", System.getenv("PW"));
        // ok: hardcoded-service-host-java
        DriverManager.getConnection(System.getenv("JDBC_URL"));
    }
}
