package demo;

import java.util.logging.FileHandler;
import java.util.logging.Logger;

public class Logs {
    void setup() throws Exception {
        // ruleid: logs-to-file-java
        Logger.getLogger("app").addHandler(new FileHandler("app.log"));
        // ok: logs-to-file-java
        Logger.getLogger("app").addHandler(new java.util.logging.ConsoleHandler());
    }
}
