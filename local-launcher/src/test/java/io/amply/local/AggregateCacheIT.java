package io.amply.local;

import io.amply.command.web.Ids;
import io.amply.events.Visibility;
import io.amply.events.donation.RecordReceivedDonationCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A command whose unit of work completed inside a transaction that then rolled back leaves no trace
 * in the aggregate cache: its events were never stored, so the fund must not go on holding its money.
 */
class AggregateCacheIT {

    @Test
    void aFundForgetsMoneyWhoseTransactionRolledBack() {
        // given: a fund holding 1,000
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 1000, "GBP", 0);
        CommandGateway commands = stack.apps().command().getBean(CommandGateway.class);
        TransactionTemplate transaction = new TransactionTemplate(stack.apps().command().getBean(PlatformTransactionManager.class));

        // when: 500 more is recorded by a command that succeeds, in a transaction that then fails
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            commands.sendAndWait(new RecordReceivedDonationCommand(Ids.next("don_"), org.id(),
                    org.generalFund(), null, 500, "GBP", 0, null, "bank_transfer", "NEVER STORED", Visibility.public_full,
                    "usr_cache_test", null, null));
            throw new IllegalStateException("the request fails after its command");
        })).hasMessageContaining("fails after its command");
        api.receive(Api.admin(), org.id(), org.generalFund(), 200, "GBP", 0);

        // then: the fund's balance, as its own events state it, counts only what was stored
        assertThat(api.balance(org.generalFund())).isEqualTo(1200);
    }
}
