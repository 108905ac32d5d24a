package demo;

public class Worker {
    void run() throws Exception {
        // ruleid: worker-ignores-sigterm-java
        while (true) {
            poll();
            Thread.sleep(1000);
        }
    }

    void graceful() throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        // ok: worker-ignores-sigterm-java
        while (true) {
            poll();
            Thread.sleep(1000);
        }
    }
}
