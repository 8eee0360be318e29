package io.amply.query.ledger;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * {@code POST /actuator/ledgercrosscheck}: for operators (the management endpoints belong on a
 * private port in production), rebuilds every chain from the event store and reports where the
 * ledger diverges from it.
 */
@Component
@Endpoint(id = "ledgercrosscheck")
class LedgerOperationsEndpoint {

    private final LedgerCrossCheck crossCheck;

    LedgerOperationsEndpoint(LedgerCrossCheck crossCheck) {
        this.crossCheck = crossCheck;
    }

    @WriteOperation
    Map<String, Object> run() {
        return crossCheck.run();
    }
}
