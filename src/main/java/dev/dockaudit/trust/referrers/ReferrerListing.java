package dev.dockaudit.trust.referrers;

import dev.dockaudit.trust.model.Referrer;
import java.util.List;

/** The artifacts attached to an image, each read from its own manifest, with how they were found. */
public record ReferrerListing(List<Referrer> referrers, ReferrerIndex.Source source, String note, String error) {
    public ReferrerListing {
        referrers = List.copyOf(referrers);
    }
}
