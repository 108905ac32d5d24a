package demo;

import java.util.logging.ConsoleHandler;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.MultipartFile;

@Configuration
public class AppConfig {
    @Value("${jwt.secret}")
    private String jwtSecret;

    @Bean
    public DataSource dataSource() {
        return DataSourceBuilder.create().url(System.getenv("JDBC_URL")).build();
    }

    void logging() {
        Logger.getLogger("app").addHandler(new ConsoleHandler());
    }

    void store(MultipartFile file) throws Exception {
        storage.put(System.getenv("UPLOAD_BUCKET"), file.getOriginalFilename(), file.getInputStream());
    }
}
