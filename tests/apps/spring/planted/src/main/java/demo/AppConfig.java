package demo;

import java.io.File;
import java.util.logging.FileHandler;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.web.multipart.MultipartFile;

@Configuration
public class AppConfig {
    // expect: AP001
    private static final String JWT_SECRET = "my-jwt-secret";

    // expect: AP002
    @Value("${jwt.secret:dev-jwt-secret}")
    private String jwtSecret;

    // expect: AP060
    @Profile("dev")
    @Bean
    public DataSource devDataSource() {
        return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).build();
    }

    void logging() throws Exception {
        // expect: AP070
        Logger.getLogger("app").addHandler(new FileHandler("app.log"));
    }

    void store(MultipartFile file) throws Exception {
        // expect: AP021
        file.transferTo(new File("/srv/uploads/" + file.getOriginalFilename()));
    }
}
