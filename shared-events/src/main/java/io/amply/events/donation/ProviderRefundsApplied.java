package io.amply.events.donation;

/**
 * What an {@link ApplyProviderRefundsCommand} changed: {@code refunded} booked as refunded now, {@code bookedBack}
 * booked back now of what was booked before, {@code failedBeforeBooked} booked and booked back at once (refunds first
 * seen failed or cancelled: no money moved, but the books hold them settled). {@code untracked}: the donation has refunds booked before the provider's refund ids were kept
 * (before 2026-11-29) or by hand, and they could not be told apart by the provider's, so its refunds follow the
 * provider's total upwards only and none is booked back. {@code identified}: such refunds were identified as the
 * provider's now ({@link DonationRefundsIdentifiedEvent}), and from now on the donation's refunds are tracked by id.
 */
public record ProviderRefundsApplied(long refunded, long bookedBack, long failedBeforeBooked, boolean untracked,
                                     boolean identified) {
}
