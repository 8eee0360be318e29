package io.amply.ledger.hash.cli;

import io.amply.ledger.hash.Checkpoint;

/** One checkpoint's verdict; {@code problem} is null when it verified. */
record CheckpointOutcome(Checkpoint checkpoint, String problem) {

    boolean valid() {
        return problem == null;
    }
}
