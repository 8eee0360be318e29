package io.amply.query;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Amply's read side: the ledger projector, Kafka publishing, and reads served from the replica. */
@SpringBootApplication
@EnableScheduling
public class QuerySideApplication {

    /** The configuration file is query-side.yml, so both sides can share one JVM (the local launcher). */
    public static final String CONFIG_NAME = "query-side";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(QuerySideApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
