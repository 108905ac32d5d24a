package demo;

import java.util.logging.FileHandler;
import java.util.logging.Logger;

public class Logs {
    void setup() throws Exception {
        // ruleid: log-file-in-code-java
        Logger.getLogger("app").addHandler(new FileHandler("app.log"));
        // ok: log-file-in-code-java
        Logger.getLogger("app").addHandler(new java.util.logging.ConsoleHandler());
    }
}
