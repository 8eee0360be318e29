package io.amply.command.lookup;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.util.HashMap;
import java.util.Map;

/**
 * A donation's donor (name, e-mail) on its way from the request to the donation's lookup row. A
 * person's identity never goes into an event (erasing it must never touch what feeds the ledger),
 * so the request leaves it in the unit of work its command runs in (the root: the batch's), and the
 * code that inserts the row takes it from there: the row is inserted with it, not inserted and then
 * updated. Where the command runs in a unit of work of its own (Axon Server's command bus) nothing
 * is found, the row is inserted without it, and the request writes it afterwards ({@link Donor#written()}).
 */
public final class DonorIdentities {

    private static final String RESOURCE = DonorIdentities.class.getName();

    /** One donor, and whether the row has been written with it. */
    public static final class Donor {
        private final String name;
        private final String email;
        private boolean written;

        private Donor(String name, String email) {
            this.name = name;
            this.email = email;
        }

        public String name() {
            return name;
        }

        public String email() {
            return email;
        }

        /** True once the donation's row was written with this donor, in the same transaction. */
        public boolean written() {
            return written;
        }

        /** Called by the row's writer once the row is written with this donor. */
        public void stored() {
            written = true;
        }
    }

    private DonorIdentities() {
    }

    /** The donor of a donation about to be commanded; null when the request names none. */
    public static Donor of(String name, String email) {
        return name == null && email == null ? null : new Donor(name, email);
    }

    /** Leaves the donor where the code that writes the donation's row finds it, in the current unit of work. */
    public static void offer(String donationId, Donor donor) {
        if (donor != null && CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().<Map<String, Donor>>getOrComputeResource(RESOURCE, key -> new HashMap<>())
                    .put(donationId, donor);
        }
    }

    /**
     * The donor offered for the donation whose row is about to be written with it, or null. Its
     * writer calls {@link Donor#stored()} once the row is written.
     */
    public static Donor take(String donationId) {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        Map<String, Donor> offered = CurrentUnitOfWork.get().root().getResource(RESOURCE);
        return offered == null ? null : offered.remove(donationId);
    }
}
