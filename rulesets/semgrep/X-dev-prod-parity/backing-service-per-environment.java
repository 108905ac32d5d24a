package demo;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;

public class DbConfig {
    // ruleid: backing-service-per-environment-java
    @Profile("dev")
    @Bean
    public DataSource devDataSource() {
        return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).build();
    }

    // ok: backing-service-per-environment-java
    @Bean
    public DataSource dataSource() {
        return DataSourceBuilder.create().url(System.getenv("JDBC_URL")).build();
    }
}
