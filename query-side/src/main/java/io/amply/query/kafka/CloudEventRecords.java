package io.amply.query.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.amply.events.OrganisationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.serialization.Revision;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * Kafka records in the CloudEvents Kafka binding's binary mode: the event's data (snake_case
 * JSON) is the value, and the attributes are {@code ce_*} headers. {@code ce_id} is the event
 * id, the same on every redelivery, which is what consumers deduplicate on.
 */
@Component
class CloudEventRecords {

    static final String SOURCE = "urn:amply:event-store";

    private final ObjectMapper json;

    CloudEventRecords(ObjectMapper json) {
        this.json = json.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    ProducerRecord<String, byte[]> toRecord(EventMessage<?> message) {
        Object payload = message.getPayload();
        String organisationId = ((OrganisationScoped) payload).organisationId();
        byte[] value;
        try {
            value = json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + message.getIdentifier() + " cannot be written as JSON", e);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(EventTopics.topicFor(payload.getClass()), organisationId, value);
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", message.getIdentifier());
        header(record, "ce_type", type(payload.getClass()));
        header(record, "ce_source", SOURCE);
        header(record, "ce_subject", message instanceof DomainEventMessage<?> domain
                ? domain.getAggregateIdentifier() : organisationId);
        header(record, "ce_time", message.getTimestamp().toString());
        header(record, "ce_organisationid", organisationId);
        header(record, "content-type", "application/json");
        return record;
    }

    /** {@code io.amply.donation.DonationReceived.v1}: family, event name, payload revision. */
    static String type(Class<?> payloadType) {
        String family = EventTopics.topicFor(payloadType).substring(EventTopics.PREFIX.length());
        String name = payloadType.getSimpleName().replaceFirst("Event$", "");
        Revision revision = payloadType.getAnnotation(Revision.class);
        return "io.amply." + family + "." + name + ".v" + (revision == null ? "0" : revision.value());
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
}
