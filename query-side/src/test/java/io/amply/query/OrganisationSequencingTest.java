package io.amply.query;

import io.amply.events.donation.DonationReceivedEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.LazyDeserializingObject;
import org.axonframework.serialization.SerializedMessage;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Which organisation's sequence an event joins: from its metadata, without reading its payload. */
class OrganisationSequencingTest {

    private static final JacksonSerializer SERIALIZER = JacksonSerializer.defaultSerializer();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final SequencingPolicy<EventMessage<?>> policy =
            (SequencingPolicy) new AxonStorageConfiguration().organisationSequencing();

    @Test
    void anEventWhosePayloadCannotBeReadIsSequencedByTheOrganisationInItsMetaData() {
        // given: a stored event whose payload this code cannot read (a number written as words)
        EventMessage<?> event = stored(payload("\"seven hundred\""), MetaData.with("organisationId", "org_meta"));

        // when
        Object sequence = policy.getSequenceIdentifierFor(event);

        // then: its organisation, and the payload untouched (reading it would have thrown here, in the coordinator)
        assertThat(sequence).isEqualTo("org_meta");
        assertThat(catchThrowable(event::getPayload)).isNotNull();
    }

    @Test
    void anEventStoredWithoutItsOrganisationInItsMetaDataIsSequencedByItsPayload() {
        // given: an event as stored before 2026-11-29
        EventMessage<?> event = stored(payload("700"), MetaData.emptyInstance());

        // when / then
        assertThat(policy.getSequenceIdentifierFor(event)).isEqualTo("org_payload");
    }

    private static String payload(String amount) {
        return """
                {"donationId":"don_1","organisationId":"org_payload","fundId":"fund_1","campaignId":null,"amount":%s,\
                "currency":"EUR","feeAmount":0,"feeChargedBy":null,"paymentMethod":"bank_transfer","paymentReference":"P",\
                "visibility":"public_full","businessId":null}""".formatted(amount);
    }

    private static EventMessage<?> stored(String payload, MetaData metaData) {
        SimpleSerializedObject<byte[]> bytes = new SimpleSerializedObject<>(payload.getBytes(StandardCharsets.UTF_8), byte[].class,
                DonationReceivedEvent.class.getName(), "1");
        return new GenericEventMessage<>(new SerializedMessage<>("event-1", new LazyDeserializingObject<>(bytes, SERIALIZER),
                new LazyDeserializingObject<>(metaData)), Instant::now);
    }
}
