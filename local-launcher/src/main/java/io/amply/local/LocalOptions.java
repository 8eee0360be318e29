package io.amply.local;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** The local run's options: flags win over environment variables, which win over the defaults. */
record LocalOptions(boolean help, boolean fresh, Path dataDir, int primaryPort, int replicaPort, int kafkaPort,
                    int kafkaControllerPort, int commandPort, int queryPort, int commandManagementPort,
                    int queryManagementPort) {

    static final String USAGE = """
            usage: ./run-local [--fresh] [--data-dir=DIR] [--pg-port=N] [--replica-port=N] [--kafka-port=N]
                               [--kafka-controller-port=N] [--command-port=N] [--query-port=N]
                               [--command-management-port=N] [--query-management-port=N]
              --fresh      delete the data directory first (Postgres, Kafka, generated credentials)
              defaults     data dir .amply/local, Postgres 55432 (primary) and 55433 (replica),
                           Kafka 59092 (controller 59093), command API 8080, query API 8081,
                           operators' endpoints (actuator, loopback only) 8090 (command) and 8091 (query)
              environment  AMPLY_LOCAL_DATA_DIR, AMPLY_LOCAL_PG_PORT, AMPLY_LOCAL_REPLICA_PORT, AMPLY_LOCAL_KAFKA_PORT,
                           AMPLY_LOCAL_KAFKA_CONTROLLER_PORT, AMPLY_LOCAL_COMMAND_PORT, AMPLY_LOCAL_QUERY_PORT,
                           AMPLY_LOCAL_COMMAND_MANAGEMENT_PORT, AMPLY_LOCAL_QUERY_MANAGEMENT_PORT""";

    static LocalOptions parse(String[] args, Map<String, String> env) {
        boolean help = false;
        boolean fresh = false;
        String dataDir = env.getOrDefault("AMPLY_LOCAL_DATA_DIR", ".amply/local");
        int pg = port(env, "AMPLY_LOCAL_PG_PORT", 55432);
        int replica = port(env, "AMPLY_LOCAL_REPLICA_PORT", 55433);
        int kafka = port(env, "AMPLY_LOCAL_KAFKA_PORT", 59092);
        int controller = port(env, "AMPLY_LOCAL_KAFKA_CONTROLLER_PORT", 59093);
        int command = port(env, "AMPLY_LOCAL_COMMAND_PORT", 8080);
        int query = port(env, "AMPLY_LOCAL_QUERY_PORT", 8081);
        int commandManagement = port(env, "AMPLY_LOCAL_COMMAND_MANAGEMENT_PORT", 8090);
        int queryManagement = port(env, "AMPLY_LOCAL_QUERY_MANAGEMENT_PORT", 8091);
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            switch (arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg) {
                case "--help", "-h" -> help = true;
                case "--fresh" -> fresh = true;
                case "--data-dir" -> dataDir = value;
                case "--pg-port" -> pg = parsePort(value, arg);
                case "--replica-port" -> replica = parsePort(value, arg);
                case "--kafka-port" -> kafka = parsePort(value, arg);
                case "--kafka-controller-port" -> controller = parsePort(value, arg);
                case "--command-port" -> command = parsePort(value, arg);
                case "--query-port" -> query = parsePort(value, arg);
                case "--command-management-port" -> commandManagement = parsePort(value, arg);
                case "--query-management-port" -> queryManagement = parsePort(value, arg);
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        // the same port twice would fail at start-up, or (API = management) put the operators'
        // endpoints on the public API: refused here, naming the ports
        List<Integer> ports = List.of(pg, replica, kafka, controller, command, query, commandManagement, queryManagement);
        if (new HashSet<>(ports).size() != ports.size()) {
            throw new IllegalArgumentException("every port must be different: " + ports + "\n" + USAGE);
        }
        return new LocalOptions(help, fresh, Path.of(dataDir), pg, replica, kafka, controller, command, query,
                commandManagement, queryManagement);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : parsePort(value, name);
    }

    private static int parsePort(String value, String what) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": not a port number: " + value);
        }
    }
}
