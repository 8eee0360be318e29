package io.amply.command;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Amply's write side: HTTP commands in, events into the event store. */
@SpringBootApplication
@EnableScheduling
public class CommandSideApplication {

    /** The configuration file is command-side.yml, so both sides can share one JVM (the local launcher). */
    public static final String CONFIG_NAME = "command-side";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(CommandSideApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
