package io.amply.events.donation;

/**
 * What an {@link ApplyProviderRefundsCommand} changed: {@code refunded} booked as refunded now, {@code bookedBack}
 * booked back now of what was booked before, {@code failedBeforeBooked} booked and booked back at once (refunds first
 * seen failed or cancelled: no money moved, but the books hold them settled). {@code untracked}: the donation has refunds booked before the provider's refund ids were kept
 * (before 2026-11-29) or by hand, so its refunds follow the provider's total upwards only and none is booked back.
 */
public record ProviderRefundsApplied(long refunded, long bookedBack, long failedBeforeBooked, boolean untracked) {
}
