package io.amply.command;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.concurrent.Callable;

/**
 * Runs checks and commands in one root unit of work that owns one database transaction: the
 * commands' units of work nest in it, so their aggregate locks are held until that transaction
 * commits, and a row a check read with a lock ({@code FOR SHARE}) cannot change before the
 * commands are stored. (A Spring transaction the commands merely join would let Axon release the
 * aggregate locks before the commit.) All of it happens, or none.
 */
@Component
public class OneTransaction {

    private final TransactionManager transactions;

    OneTransaction(TransactionManager transactions) {
        this.transactions = transactions;
    }

    public <T> T run(Callable<T> work) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(transactions);
        ResultMessage<T> result = unitOfWork.executeWithResult(work);
        if (!result.isExceptional()) {
            return result.getPayload();
        }
        Throwable failure = result.exceptionResult();
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(failure);
    }
}
