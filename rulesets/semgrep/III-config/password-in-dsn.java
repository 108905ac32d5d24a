package demo;

public class Db {
    // ruleid: password-in-dsn-java
    String url = "jdbc:postgresql://app:hunter2@db:5432/app";
    // ok: password-in-dsn-java
    String url2 = System.getenv("JDBC_URL");
}
