package io.amply.command.web;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.serialization.Serializer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Axon's event append, returning each event's global index: the insert Axon builds, asked for the
 * generated {@code event_identifier} and {@code global_index}, which are noted for the appending
 * thread ({@link EventPositions}). A write's {@code meta.position} then needs no query of the event
 * store after its commit — one round trip less for every write, donations included. The statement
 * and its parameters stay Axon's own ({@link JdbcEventStorageEngineStatements#appendEvents}).
 */
public final class AppendedPositions {

    private AppendedPositions() {
    }

    /** An {@code AppendEventsStatementBuilder} for {@code JdbcEventStorageEngine.builder().appendEvents(...)}. */
    public static PreparedStatement appendEvents(Connection connection, EventSchema schema, Class<?> dataType,
                                                 List<? extends EventMessage<?>> events, Serializer serializer,
                                                 TimestampWriter timestampWriter) throws SQLException {
        String[] returned = {schema.eventIdentifierColumn(), schema.globalIndexColumn()};
        Connection returning = proxy(Connection.class, connection, (method, args) ->
                "prepareStatement".equals(method.getName()) && args != null && args.length == 1
                        ? connection.prepareStatement((String) args[0], returned)
                        : method.invoke(connection, args));
        PreparedStatement statement = JdbcEventStorageEngineStatements.appendEvents(returning, schema, dataType, events,
                serializer, timestampWriter);
        return proxy(PreparedStatement.class, statement, (method, args) -> {
            Object result = method.invoke(statement, args);
            if ("executeBatch".equals(method.getName())) {
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    while (keys.next()) {
                        EventPositions.appended(keys.getString(1), keys.getLong(2));
                    }
                }
            }
            return result;
        });
    }

    private interface Call {
        Object invoke(Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        return type.cast(Proxy.newProxyInstance(AppendedPositions.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    try {
                        return call.invoke(method, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause(); // the driver's own exception, as Axon expects it
                    }
                }));
    }
}
