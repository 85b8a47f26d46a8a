"""The three real clinics from the sources in ``shared/seeds``: their quoted facts, with
invented addresses, therapists and other prices marked illustrative."""

from __future__ import annotations

from ...models.clinic import DepositKind, PromotionKind
from .records import (
    CO_TZ,
    FL_TZ,
    ClinicSeed,
    LocationSeed,
    PartnerSeed,
    PromotionSeed,
    S,
    T,
)

_ILLUSTRATIVE_NOTE = (
    "The street address, therapist profiles and prices other than those quoted by the "
    "clinic are illustrative demo data."
)

SOLELY = ClinicSeed(
    name="Solely Therapeutic Massage",
    state="FL",
    timezone=FL_TZ,
    phone="727-279-5205",
    tagline="Therapeutic massage with trigger-point work and time to talk it through",
    description=(
        "A St. Petersburg massage team that treats pain as a pattern to change, not just a "
        "knot to press. Neuromuscular (trigger-point) therapy is built into every "
        "therapeutic massage, with extra time at each visit to talk through what you feel "
        "and what to do next. Therapists draw on myofascial release, cupping, scraping "
        "(IASTM), Structural Energetic Therapy, deep tissue, Swedish, sports, Thai, Lomi "
        "Lomi, lymphatic drainage and pregnancy massage, mixing them as each session needs. "
        "If your problem needs a doctor, chiropractor or trainer rather than massage, they "
        "say so and recommend someone they trust. " + _ILLUSTRATIVE_NOTE
    ),
    intake_note=(
        "Every session starts with a health intake and an assessment of your posture and "
        "movement before any hands-on work, so allow a few extra minutes. Please be open "
        "about medications and health conditions, including pregnancy: some of them change "
        "what we can safely do."
    ),
    deposit_kind=DepositKind.PERCENT,
    deposit_value=20,
    cancellation_window_hours=24,
    is_illustrative=False,
    owner_email="owner.solely@demo.test",
    locations=(
        LocationSeed("3100 4th St N", "St. Petersburg", "33704", address_line2="Suite 5",
                     phone="727-279-5205"),
    ),
    therapists=(
        T("Danielle Ortiz", "LMT, CNMT", "MA74512", 2011, "nmt set mfr deep iastm",
          "Trained in Structural Energetic Therapy; reads posture and gait first and builds a "
          "plan for lasting change rather than quick relief."),
        T("Marcus Bell", "LMT", "MA88231", 2016, "nmt sports cupping iastm pnf deep thai",
          "Works with runners, lifters and weekend athletes, combining cupping and scraping "
          "to warm the tissue before trigger-point work.", hours="evenings"),
        T("Leilani Kahale", "LMT", "MA69907", 2008, "lomi swedish prenatal mld mfr",
          "Brings Lomi Lomi training and years of pregnancy and lymphatic work; has the "
          "cushioning for a safe side-lying session.", hours="saturdays"),
    ),
    services=(
        S("nmt", 60, 115, "Therapeutic massage with neuromuscular therapy",
          "Trigger-point work inside a full therapeutic session, with extra time for "
          "consultation and assessment at every visit.", after=15, consult=True),
        S("nmt", 90, 165, "Therapeutic massage with neuromuscular therapy, extended",
          "The same assessed session with more hands-on time for several problem areas.",
          after=15, consult=True),
        S("mfr", 60, 115, "Myofascial release session", consult=True),
        S("cupping", 60, 115, "Myofascial cupping session",
          "Cupping to lift and loosen fascia, combined with hands-on work.", consult=True),
        S("iastm", 60, 115, "Scraping (IASTM) session",
          "Tool-assisted work on scar tissue and restrictions.", consult=True),
        S("set", 90, 170, "Structural Energetic Therapy session",
          "A detailed posture assessment followed by structural work.", consult=True),
        S("deep", 60, 115, "Deep tissue massage", consult=True),
        S("swedish", 60, 115, "Swedish massage"),
        S("sports", 60, 115, "Sports massage", consult=True),
        S("thai", 90, 165, "Thai massage"),
        S("lomi", 90, 165, "Lomi Lomi massage"),
        S("mld", 60, 115, "Manual lymphatic drainage",
          "Light lymphatic work, including after plastic surgery with your surgeon's approval."),
        S("prenatal", 60, 115, "Pregnancy massage",
          "Side-lying, fully cushioned; from the second trimester for anything beyond "
          "gentle relaxation work."),
    ),
    partners=(
        PartnerSeed("Pinellas Sports Chiropractic (example)", "Chiropractor",
                    "For joint and spinal problems beyond soft-tissue work."),
        PartnerSeed("Sunshine City Physical Therapy (example)", "Physical therapist",
                    "Corrective exercise to hold on to the gains from massage."),
        PartnerSeed("Bayfront Strength Coaching (example)", "Personal trainer",
                    "Rebuilding healthy movement patterns and posture."),
        PartnerSeed("Gulf Coast Family Medicine (example)", "Physician",
                    "Medical clearance when the health intake calls for it."),
        PartnerSeed("Tidewater Pilates Studio (example)", "Pilates instructor"),
    ),
)

CENTER_FOR_MASSAGE_THERAPY = ClinicSeed(
    name="Center for Massage Therapy",
    state="CO",
    timezone=CO_TZ,
    phone="303-777-1151",
    tagline="Neuromuscular therapy blended with other massage methods, and now acupuncture",
    description=(
        "A Denver massage center where trigger-point (neuromuscular) work is blended with "
        "whichever other massage methods suit the client, to settle the soft-tissue causes "
        "of back, shoulder, hip and knee pain, sciatica, carpal tunnel, thoracic outlet and "
        "TMJ problems. Acupuncture has recently joined the menu. Appointments can also be made "
        "by phone. " + _ILLUSTRATIVE_NOTE
    ),
    deposit_kind=DepositKind.FIXED,
    deposit_value=2500,
    cancellation_window_hours=24,
    is_illustrative=False,
    owner_email="owner.cmt@demo.test",
    locations=(
        LocationSeed("1325 S Pearl St", "Denver", "80210", phone="303-777-1151"),
    ),
    therapists=(
        T("Rachel Kim", "LMT, CNMT", "MT.0015673", 2007, "nmt deep mfr swedish",
          "Certified in neuromuscular therapy; pays close attention to referred pain and "
          "adjusts pressure to your feedback throughout."),
        T("Thomas Greene", "LMT", "MT.0021874", 2015, "nmt sports deep swedish prenatal",
          "Blends trigger-point work with sports massage for active clients and offers "
          "pregnancy sessions.", hours="evenings"),
        T("Mei Lin Zhao", "L.Ac., Dipl. Ac. (NCCAOM)", "AC.0004127", 2012, "acu",
          "Licensed acupuncturist treating pain, headaches and stress, and working "
          "alongside the massage team.", hours="part_time"),
    ),
    services=(
        S("nmt", 60, 105, "Neuromuscular therapy",
          "Trigger-point work combined with other massage techniques as needed."),
        S("nmt", 90, 150, "Neuromuscular therapy, extended"),
        S("deep", 60, 100, "Deep tissue massage"),
        S("mfr", 60, 100, "Myofascial release"),
        S("swedish", 60, 90, "Swedish massage"),
        S("acu", 60, 95, "Acupuncture",
          "A first or follow-up acupuncture treatment.", after=10),
    ),
    promotions=(
        PromotionSeed(
            "ACU25", "Acupuncture now available: $25 off",
            "To welcome acupuncture to the center, save $25 on an acupuncture appointment.",
            PromotionKind.AMOUNT, 2500, modality="acupuncture",
        ),
    ),
)

FLEX_SPINE_AND_SPORT = ClinicSeed(
    name="Flex Spine & Sport",
    state="FL",
    timezone=FL_TZ,
    tagline="Licensed neuromuscular therapy for injuries, overuse and posture",
    description=(
        "A sports and spine practice whose licensed massage therapists specialize in "
        "neuromuscular work. They treat thoracic outlet syndrome, plantar fasciitis, frozen "
        "shoulder, tendonitis, sciatica from soft-tissue compression, carpal tunnel, "
        "whiplash, epicondylitis, knee injuries, recovery after surgery, overuse and "
        "structural deviations, and fit treatment to each person's body and way of life. "
        "The sources do not give this practice's location: the Tampa address, therapists "
        "and prices shown here are illustrative."
    ),
    deposit_kind=DepositKind.PERCENT,
    deposit_value=25,
    cancellation_window_hours=24,
    # A real clinic, like the other two: its location is the illustrative part.
    is_illustrative=False,
    owner_email="owner.flex@demo.test",
    locations=(LocationSeed("3820 Henderson Blvd", "Tampa", "33629"),),
    therapists=(
        T("Jordan Price", "LMT, CNMT", "MA91546", 2014, "nmt sports pnf iastm cff",
          "Focuses on athletes and overuse injuries, pairing trigger-point work with "
          "assisted stretching to restore range."),
        T("Alicia Romero", "LMT", "MA80377", 2012, "nmt mfr prs mld cff",
          "Treats nerve entrapments and post-surgical stiffness, starting gently and "
          "building as the tissue allows.", hours="with_lunch"),
    ),
    services=(
        S("nmt", 60, 110, "Neuromuscular massage therapy", after=10),
        S("nmt", 30, 65, "Neuromuscular therapy, focused", "One problem area, such as an "
          "elbow, a jaw or a foot.", after=10),
        S("sports", 60, 105, "Sports massage", after=10),
        S("pnf", 30, 55, "Assisted PNF stretching"),
        S("mld", 60, 100, "Post-surgical lymphatic drainage",
          "With your surgeon's approval."),
    ),
)

SEED_CLINICS: tuple[ClinicSeed, ...] = (SOLELY, CENTER_FOR_MASSAGE_THERAPY, FLEX_SPINE_AND_SPORT)
