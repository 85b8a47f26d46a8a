"""The demo data as plain values: techniques, conditions, the seed clinics and
fictional demo clinics. No database access here; ``seed.py`` loads it.

Facts about the three real clinics (names, cities, phones, the $115 rate with
consultation time, the techniques offered, the $25 acupuncture offer, the
conditions treated) come from the source pages in ``shared/seeds``. Everything
else (addresses, therapists, other prices, policies, hours, every fictional
clinic) is invented for the demo and marked ``is_illustrative`` where the model
allows it: a fictional clinic is illustrative; a real clinic is not, though its
invented addresses are. All prose is written for this project.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from ..models.clinic import ClinicStatus, DepositKind, PromotionKind
from ..models.taxonomy import Intensity
from ..services.clinics.policy import policy_text
from ..services.common import slugs

FL_TZ = "America/New_York"
CO_TZ = "America/Denver"

# --- the vocabulary ----------------------------------------------------------------


@dataclass(frozen=True)
class ModalitySeed:
    slug: str
    name: str
    intensity: Intensity
    summary: str
    aliases: tuple[str, ...]
    short_name: str | None = None


@dataclass(frozen=True)
class ConditionSeed:
    slug: str
    name: str
    summary: str
    modalities: tuple[str, ...]


G, M, D = Intensity.GENTLE, Intensity.MODERATE, Intensity.DEEP

MODALITIES: tuple[ModalitySeed, ...] = (
    ModalitySeed(
        "neuromuscular-therapy", "Neuromuscular therapy", D,
        "Sustained, focused pressure on trigger points (tight, tender knots that can refer "
        "pain elsewhere) to ease spasm and restore circulation. Best as part of an assessed "
        "treatment plan rather than a one-off.",
        ("trigger point therapy", "trigger point", "neuromuscular massage", "nmt",
         "neuro massage", "trigger point myotherapy", "neuromuscular massage therapy",
         "trigger point massage", "neuromuscular re-education"),
        short_name="NMT",
    ),
    ModalitySeed(
        "myofascial-release", "Myofascial release", M,
        "Slow, held stretches and pressure into the fascia, the connective web around every "
        "muscle, to free stuck layers and give back range of motion.",
        ("mfr", "myofascial", "myofascial massage", "fascial release", "fascia release"),
    ),
    ModalitySeed(
        "deep-tissue", "Deep tissue massage", D,
        "Firm, slow strokes, compression and stripping that reach the deeper muscle layers to "
        "loosen long-held tension; a broad label that many other styles can be worked at.",
        ("deep tissue", "deep massage", "deep pressure massage", "deep-tissue massage"),
    ),
    ModalitySeed(
        "swedish-massage", "Swedish massage", G,
        "The classic relaxation massage: long gliding strokes and kneading that warm the "
        "tissue and quiet the nervous system.",
        ("swedish", "relaxation massage", "classic massage", "full body massage"),
    ),
    ModalitySeed(
        "sports-massage", "Sports massage", M,
        "Work planned around training and events, before, after or between them, to keep "
        "muscles elastic, speed recovery and lower the risk of strains.",
        ("sports", "athletic massage", "sports recovery massage", "recovery massage"),
    ),
    ModalitySeed(
        "structural-energetic-therapy", "Structural Energetic Therapy", D,
        "A structural method that starts with a close look at posture, then uses firm, "
        "deep work to unwind the patterns pulling the body out of balance.",
        ("set", "s.e.t", "s.e.t.", "set therapy", "structural therapy"),
        short_name="S.E.T.",
    ),
    ModalitySeed(
        "cupping", "Cupping", M,
        "Cups draw skin and fascia upward instead of pressing down, bringing blood to the area "
        "and softening tissue before or during deeper work. It may leave round marks for a "
        "few days.",
        ("cupping therapy", "myofascial cupping", "cups", "vacuum cupping"),
    ),
    ModalitySeed(
        "iastm", "Instrument-assisted soft tissue mobilization", D,
        "Smooth-edged tools glide over the skin to find and break up scar tissue and fascial "
        "restrictions, often around tendons and old injuries.",
        ("scraping", "graston", "graston technique", "muscle scraping",
         "instrument assisted soft tissue mobilization", "instrument-assisted massage"),
        short_name="IASTM",
    ),
    ModalitySeed(
        "positional-release", "Positional release", G,
        "The therapist eases you into a supported, comfortable position in which a tender "
        "point softens, and holds it until the muscle lets go. Very gentle.",
        ("strain-counterstrain", "strain counterstrain", "counterstrain",
         "positional release therapy"),
    ),
    ModalitySeed(
        "pnf-stretching", "Proprioceptive neuromuscular facilitation stretching", M,
        "Assisted stretching in which you push against the therapist's hand, relax, and move "
        "further into the stretch, gaining more range than passive stretching alone.",
        ("pnf", "pnf stretching", "assisted stretching", "contract-relax stretching",
         "flexibility stretching"),
        short_name="PNF",
    ),
    ModalitySeed(
        "cross-fiber-friction", "Cross-fiber friction", D,
        "Short, firm strokes across the grain of a tendon or ligament that loosen adhesions "
        "and help healing fibers line up; common for tendon and elbow trouble.",
        ("cross-fibre friction", "cross fiber friction", "cross fibre friction",
         "friction massage", "transverse friction", "deep transverse friction"),
    ),
    ModalitySeed(
        "lymphatic-drainage", "Manual lymphatic drainage", G,
        "Very light, rhythmic strokes that help lymph move and reduce swelling; often "
        "suggested after surgery once the surgeon agrees.",
        ("lymphatic drainage", "lymphatic massage", "lymph drainage", "mld",
         "post-op lymphatic massage"),
    ),
    ModalitySeed(
        "prenatal-massage", "Prenatal massage", G,
        "Massage adapted to pregnancy, with side-lying positions and cushioning, avoiding "
        "sensitive points. Gentle work only in the first trimester.",
        ("pregnancy massage", "pregnancy", "maternity massage", "pre-natal massage"),
    ),
    ModalitySeed(
        "thai-massage", "Thai massage", M,
        "Given fully clothed on a mat: palms, thumbs, feet and body weight compress the "
        "muscles while the therapist guides you through yoga-like stretches.",
        ("thai", "thai yoga massage", "nuad thai"),
    ),
    ModalitySeed(
        "lomi-lomi", "Lomi Lomi", M,
        "Hawaiian massage built on long, flowing forearm strokes that sweep across large "
        "areas of the body in a steady rhythm.",
        ("lomilomi", "lomi", "hawaiian massage"),
    ),
    ModalitySeed(
        "acupuncture", "Acupuncture", M,
        "Fine, sterile single-use needles placed at chosen points by a licensed acupuncturist, "
        "used for pain, headaches and stress.",
        ("acupuncture therapy", "traditional acupuncture", "needle therapy"),
    ),
)

_MOD = {m.slug: m for m in MODALITIES}

# Short keys keep the clinic tables below readable.
K = {
    "nmt": "neuromuscular-therapy", "mfr": "myofascial-release", "deep": "deep-tissue",
    "swedish": "swedish-massage", "sports": "sports-massage",
    "set": "structural-energetic-therapy", "cupping": "cupping", "iastm": "iastm",
    "prs": "positional-release", "pnf": "pnf-stretching", "cff": "cross-fiber-friction",
    "mld": "lymphatic-drainage", "prenatal": "prenatal-massage", "thai": "thai-massage",
    "lomi": "lomi-lomi", "acu": "acupuncture",
}


def _slugs(keys: str) -> tuple[str, ...]:
    return tuple(K[k] for k in keys.split())


CONDITIONS: tuple[ConditionSeed, ...] = (
    ConditionSeed(
        "low-back-pain", "Low back pain",
        "Aching or sharp pain across the lower back, often from tight hip and back muscles, "
        "long hours sitting or lifting.",
        _slugs("nmt mfr deep prs pnf cupping set prenatal"),
    ),
    ConditionSeed(
        "neck-shoulder-pain", "Neck and shoulder pain",
        "Stiffness and knots across the neck and upper shoulders, typical of desk work and "
        "rounded posture.",
        _slugs("nmt mfr deep cupping prs pnf"),
    ),
    ConditionSeed(
        "sciatica", "Sciatica (soft-tissue / piriformis)",
        "Pain running down the back of the leg when the sciatic nerve is squeezed by tight "
        "soft tissue such as the piriformis muscle, rather than by the spine itself.",
        _slugs("nmt mfr deep prs pnf"),
    ),
    ConditionSeed(
        "thoracic-outlet-syndrome", "Thoracic outlet syndrome",
        "Tingling, numbness or ache in the arm and hand when nerves or vessels are crowded "
        "between the collarbone, first rib and neck muscles.",
        _slugs("nmt mfr prs pnf"),
    ),
    ConditionSeed(
        "carpal-tunnel", "Carpal tunnel syndrome",
        "Numbness and tingling in the thumb and fingers from pressure on the median nerve; "
        "tight forearm and neck tissue can add to it.",
        _slugs("nmt mfr prs iastm"),
    ),
    ConditionSeed(
        "plantar-fasciitis", "Plantar fasciitis",
        "Heel and arch pain, worst with the first steps of the morning, from an irritated "
        "band of tissue under the foot.",
        _slugs("nmt mfr iastm cff cupping"),
    ),
    ConditionSeed(
        "frozen-shoulder", "Frozen shoulder",
        "Adhesive capsulitis: a shoulder that grows painful and stiff until lifting the arm "
        "becomes hard.",
        _slugs("nmt mfr pnf prs"),
    ),
    ConditionSeed(
        "tendonitis", "Tendonitis",
        "A sore, irritated tendon, usually from overuse or repeated movements at work or in "
        "sport.",
        _slugs("cff iastm nmt mfr sports"),
    ),
    ConditionSeed(
        "epicondylitis", "Epicondylitis (tennis or golfer's elbow)",
        "Pain on the outer or inner elbow where the forearm tendons attach, from repeated "
        "gripping and twisting.",
        _slugs("cff iastm nmt mfr"),
    ),
    ConditionSeed(
        "tmj", "TMJ (jaw) disorders",
        "Jaw pain, clicking or clenching, often tied to tight chewing and neck muscles.",
        _slugs("nmt mfr prs"),
    ),
    ConditionSeed(
        "whiplash", "Whiplash (neck sprain or strain)",
        "Neck pain and stiffness after a sudden jolt, such as a car accident, when muscles "
        "and ligaments are overstretched.",
        _slugs("nmt mfr prs pnf"),
    ),
    ConditionSeed(
        "knee-injuries", "Knee injuries",
        "Knee pain after a strain or injury, or from tight thigh and calf muscles pulling on "
        "the joint.",
        _slugs("nmt mfr sports iastm cff pnf"),
    ),
    ConditionSeed(
        "post-surgical-recovery", "Post-surgical recovery",
        "Swelling, stiffness and scar tissue after an operation. Wait for your surgeon's "
        "go-ahead; gentle work comes first.",
        _slugs("mld mfr prs nmt"),
    ),
    ConditionSeed(
        "postural-imbalance", "Postural imbalance",
        "Rounded shoulders, a tilted pelvis or uneven hips: patterns the body builds to "
        "compensate, which can lead to chronic pain.",
        _slugs("set nmt mfr pnf deep thai"),
    ),
    ConditionSeed(
        "chronic-headaches", "Chronic headaches",
        "Frequent tension-type headaches, often fed by trigger points in the neck, shoulders "
        "and jaw.",
        _slugs("nmt mfr prs acu"),
    ),
    ConditionSeed(
        "fibromyalgia", "Fibromyalgia",
        "Widespread pain and tenderness with fatigue; gentle, well-paced work is usually "
        "better tolerated than deep pressure.",
        _slugs("swedish mfr prs mld acu"),
    ),
    ConditionSeed(
        "stress", "Stress",
        "Tension, poor sleep and a nervous system stuck on high alert; massage helps the body "
        "shift into rest.",
        _slugs("swedish lomi mld thai acu prenatal"),
    ),
)

# --- clinics ---------------------------------------------------------------------


@dataclass(frozen=True)
class HoursSpan:
    weekdays: tuple[int, ...]  # 0 = Monday
    starts: time
    ends: time
    location: int = 0  # index into the clinic's locations, shifted by the therapist's


def _span(days: str, starts: str, ends: str, location: int = 0) -> HoursSpan:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    weekdays = tuple(names.index(d) for d in days.split())
    return HoursSpan(weekdays, time.fromisoformat(starts), time.fromisoformat(ends), location)


#: Weekly patterns therapists follow, in the location's wall-clock time.
HOURS_PATTERNS: dict[str, tuple[HoursSpan, ...]] = {
    "weekdays": (_span("mon tue wed thu fri", "09:00", "17:00"),),
    "evenings": (_span("mon tue wed thu", "13:00", "20:00"),),
    "saturdays": (_span("tue wed thu fri sat", "10:00", "18:00"),),
    "early": (_span("mon tue wed thu", "07:30", "15:30"),),
    "part_time": (_span("mon wed", "12:00", "19:00"), _span("sat", "09:00", "14:00")),
    "with_lunch": (
        _span("mon tue wed thu fri", "08:30", "12:30"),
        _span("mon tue wed thu fri", "13:30", "17:30"),
    ),
    "late_week": (_span("thu fri sat sun", "10:00", "18:00"),),
    "two_sites": (
        _span("mon wed fri", "09:00", "17:00", 0),
        _span("tue thu", "11:00", "19:00", 1),
    ),
}


@dataclass(frozen=True)
class TherapistSeed:
    name: str
    credentials: str
    licence_number: str | None
    practicing_since: int
    modalities: tuple[str, ...]
    bio: str
    hours: str = "weekdays"
    location: int = 0

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class ServiceSeed:
    name: str
    modality: str
    duration_min: int
    price_cents: int
    description: str = ""
    buffer_before_min: int = 0
    buffer_after_min: int = 0
    includes_consultation: bool = False


@dataclass(frozen=True)
class LocationSeed:
    address_line1: str
    city: str
    zip_code: str
    name: str = "Main"
    address_line2: str | None = None
    phone: str | None = None
    is_illustrative: bool = True


@dataclass(frozen=True)
class PromotionSeed:
    code: str
    title: str
    description: str
    kind: PromotionKind
    value: int  # cents for AMOUNT, whole percent for PERCENT
    modality: str | None = None
    valid_days: int | None = None  # from the day of seeding; None = open-ended
    max_redemptions: int | None = None


@dataclass(frozen=True)
class PartnerSeed:
    name: str
    specialty: str
    note: str | None = None


@dataclass(frozen=True)
class ClinicSeed:
    name: str
    state: str
    timezone: str
    tagline: str
    description: str
    locations: tuple[LocationSeed, ...]
    therapists: tuple[TherapistSeed, ...]
    services: tuple[ServiceSeed, ...]
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    deposit_kind: DepositKind = DepositKind.PERCENT
    deposit_value: int = 20
    cancellation_window_hours: int = 24
    policy_extra: str = ""
    intake_note: str | None = None
    promotions: tuple[PromotionSeed, ...] = ()
    partners: tuple[PartnerSeed, ...] = ()
    status: ClinicStatus = ClinicStatus.PUBLISHED
    status_reason: str | None = None
    is_illustrative: bool = True
    owner_email: str | None = None

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def policy_text(self) -> str:
        return policy_text(
            self.deposit_kind, self.deposit_value, self.cancellation_window_hours,
            self.policy_extra,
        )


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens: "Flex Spine & Sport" -> "flex-spine-sport"."""
    return slugs.slugify(text)




def T(  # noqa: N802 - a short constructor for the tables below
    name: str, credentials: str, licence: str | None, since: int, keys: str, bio: str,
    hours: str = "weekdays", location: int = 0,
) -> TherapistSeed:
    return TherapistSeed(name, credentials, licence, since, _slugs(keys), bio, hours, location)


def S(  # noqa: N802
    key: str, minutes: int, dollars: int, name: str | None = None, description: str = "", *,
    before: int = 0, after: int = 0, consult: bool = False,
) -> ServiceSeed:
    slug = K[key]
    label = name or f"{_MOD[slug].name}, {minutes} min"
    return ServiceSeed(label, slug, minutes, dollars * 100, description, before, after, consult)


def L(  # noqa: N802
    address: str, city: str, zip_code: str, name: str = "Main", line2: str | None = None,
) -> LocationSeed:
    return LocationSeed(address, city, zip_code, name, line2)


def _phone(area: str, n: int) -> str:
    """A number from the 555-01xx block, which is reserved for fiction."""
    return f"{area}-555-{100 + n:04d}"


def _site(name: str) -> str:
    return f"https://{slugify(name)}.example"


# --- the three real clinics from the sources -----------------------------------------

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


# --- fictional demo clinics ----------------------------------------------------------
# Invented names, people, addresses (on real ZIP codes) and numbers from the 555-01xx
# block, so search by distance, filters and comparison have something to work on.

P, F = DepositKind.PERCENT, DepositKind.FIXED
PCT, AMT = PromotionKind.PERCENT, PromotionKind.AMOUNT


def _fl(name: str, n: int, area: str = "727", **kw) -> ClinicSeed:
    kw.setdefault("phone", _phone(area, n))
    kw.setdefault("email", f"hello@{slugify(name)}.example")
    return ClinicSeed(name=name, state="FL", timezone=FL_TZ, **kw)


def _co(name: str, n: int, area: str = "303", **kw) -> ClinicSeed:
    kw.setdefault("phone", _phone(area, n))
    kw.setdefault("email", f"hello@{slugify(name)}.example")
    return ClinicSeed(name=name, state="CO", timezone=CO_TZ, **kw)


FLORIDA_DEMO: tuple[ClinicSeed, ...] = (
    _fl(
        "Gulfside Myofascial Studio", 1, website=_site("Gulfside Myofascial Studio"),
        tagline="Trigger-point and fascia work a few blocks from the waterfront",
        description="A small downtown studio pairing neuromuscular therapy with myofascial "
        "release, so the area is flushed and freed after the knot lets go.",
        locations=(L("410 1st Ave N", "St. Petersburg", "33701", line2="Suite 210"),),
        therapists=(
            T("Hannah Whitaker", "LMT, CNMT", "MA61234", 2010, "nmt mfr deep cupping",
              "Known for patient, slow trigger-point work and clear home-care advice."),
            T("Carlos Medina", "LMT", "MA83310", 2017, "mfr iastm cupping sports",
              "Former college swimmer who uses cupping and scraping to free stuck "
              "shoulders.", hours="evenings"),
        ),
        services=(
            S("nmt", 60, 110), S("nmt", 90, 155, after=15), S("mfr", 60, 105),
            S("cupping", 30, 55, "Cupping add-on session"), S("iastm", 60, 110),
        ),
        deposit_kind=P, deposit_value=25, cancellation_window_hours=24,
        promotions=(PromotionSeed("FIRSTVISIT", "15% off your first visit",
                                  "New clients save 15% on any service.", PCT, 15,
                                  valid_days=90),),
    ),
    _fl(
        "Driftwood Lane Gentle Bodywork", 2,
        tagline="Quiet, gentle sessions for stress, pregnancy and swelling",
        description="Swedish, prenatal and lymphatic work in a calm room with pregnancy "
        "cushions and soft lighting. A good first massage for anyone wary of deep pressure.",
        locations=(L("1250 Dr M.L.K. Jr St N", "St. Petersburg", "33701"),),
        therapists=(
            T("Sophie Tran", "LMT", "MA77420", 2013, "swedish prenatal mld",
              "Certified in pregnancy massage and happiest helping nervous first-timers "
              "relax."),
            T("Grace Holloway", "LMT, CLT", "MA65981", 2006, "mld swedish prs",
              "Certified lymphedema therapist; works with post-operative swelling once the "
              "surgeon agrees.", hours="with_lunch"),
        ),
        services=(
            S("swedish", 60, 85), S("swedish", 90, 120), S("prenatal", 60, 95),
            S("mld", 60, 100, after=10), S("prs", 60, 90, "Positional release session"),
        ),
        deposit_kind=F, deposit_value=2500, cancellation_window_hours=24,
        intake_note="Tell us how many weeks pregnant you are; in the first trimester we "
        "keep to gentle relaxation work.",
    ),
    _fl(
        "Pelican Pier Sports Recovery", 3,
        tagline="Evening and Saturday recovery sessions for active people",
        description="Sports massage, assisted stretching and tool work aimed at keeping "
        "runners, cyclists and lifters training without setbacks.",
        locations=(L("1820 Dr M.L.K. Jr St S", "St. Petersburg", "33705"),),
        therapists=(
            T("Tyler Brooks", "LMT", "MA90215", 2018, "sports pnf iastm deep",
              "Works race weekends on the local running circuit.", hours="saturdays"),
            T("Nadia Petrova", "LMT, CNMT", "MA72088", 2011, "nmt sports pnf cff",
              "Combines trigger-point work and PNF for stubborn hamstrings and hips.",
              hours="evenings"),
            T("Devon Carter", "LMT", "MA95102", 2020, "sports cupping iastm",
              "Recent graduate with a strength-coaching background.", hours="part_time"),
        ),
        services=(
            S("sports", 60, 95, after=10), S("sports", 90, 135, after=10),
            S("pnf", 30, 50, "Assisted stretching"), S("iastm", 30, 55, "Scraping, 30 min"),
            S("nmt", 60, 100),
        ),
        deposit_kind=P, deposit_value=20, cancellation_window_hours=12,
        promotions=(PromotionSeed("RACEWEEK", "$20 off a post-race sports massage",
                                  "Bring your race bib to the session.", AMT, 2000,
                                  modality=K["sports"], valid_days=60),),
    ),
    _fl(
        "Tangerine Tide Thai & Lomi Studio", 4,
        tagline="Flowing Hawaiian and Thai bodywork",
        description="Long-form Lomi Lomi and mat-based Thai massage, with Swedish for those "
        "who prefer a table.",
        locations=(L("3150 22nd Ave N", "St. Petersburg", "33713"),),
        therapists=(
            T("Malia Keawe", "LMT", "MA70314", 2009, "lomi swedish",
              "Learned Lomi Lomi from her grandmother and has taught it since.",
              hours="late_week"),
            T("Somchai Wongsa", "LMT", "MA84477", 2014, "thai swedish pnf",
              "Trained in Chiang Mai; blends Thai stretching with assisted PNF work."),
        ),
        services=(
            S("lomi", 90, 150), S("lomi", 120, 190), S("thai", 90, 140), S("swedish", 60, 90),
        ),
        deposit_kind=F, deposit_value=3000, cancellation_window_hours=48,
        policy_extra="Two-hour sessions need 48 hours' notice because they fill a whole "
        "afternoon.",
    ),
    _fl(
        "Brickstreet Neuromuscular Rooms", 5,
        tagline="One therapist, one room, neuromuscular work only",
        description="A newly opened solo practice focused on trigger points, positional "
        "release and friction work for long-standing pain.",
        locations=(L("6300 38th Ave N", "St. Petersburg", "33710"),),
        therapists=(
            T("Owen Gallagher", "LMT, CNMT", "MA97730", 2019, "nmt prs cff deep",
              "Opened his own rooms after five years in a chiropractic office."),
        ),
        services=(S("nmt", 60, 100), S("nmt", 90, 140), S("cff", 30, 55), S("prs", 60, 95)),
        deposit_kind=P, deposit_value=50, cancellation_window_hours=48,
        status=ClinicStatus.PENDING, owner_email="owner.pending@demo.test",
    ),
    _fl(
        "Lantern Cove Massage Collective", 6, website=_site("Lantern Cove Massage Collective"),
        tagline="Two west-side rooms, deep or gentle as you need",
        description="A collective of therapists sharing two studios, offering deep tissue, "
        "cupping, Swedish and pregnancy massage.",
        locations=(
            L("5810 Central Ave", "St. Petersburg", "33707", name="Central Avenue"),
            L("4400 18th Ave S", "St. Petersburg", "33711", name="Lakewood Estates"),
        ),
        therapists=(
            T("Bianca Russo", "LMT", "MA76652", 2012, "deep cupping swedish",
              "Steady, firm pressure with plenty of communication.", hours="two_sites"),
            T("Imani Johnson", "LMT, NCBTMB", "MA81129", 2015, "prenatal swedish mld",
              "Board-certified; specializes in pregnancy and postpartum care.", location=1),
            T("Ethan Shaw", "LMT", "MA93381", 2019, "deep nmt sports",
              "Works with tradespeople and desk workers alike.", hours="evenings"),
        ),
        services=(
            S("deep", 60, 95), S("deep", 90, 135), S("cupping", 60, 95),
            S("swedish", 60, 80), S("prenatal", 60, 90), S("nmt", 60, 100),
        ),
        deposit_kind=P, deposit_value=15, cancellation_window_hours=24,
    ),
    _fl(
        "Hyde Harbor Trigger Point Works", 7, area="813",
        website=_site("Hyde Harbor Trigger Point Works"),
        tagline="Neuromuscular therapy in South Tampa and Carrollwood",
        description="Trigger-point specialists with an assessment-first approach; each "
        "first visit ends with a short written plan.",
        locations=(
            L("1020 S Howard Ave", "Tampa", "33606", name="South Howard"),
            L("14700 N Dale Mabry Hwy", "Tampa", "33618", name="Carrollwood"),
        ),
        therapists=(
            T("Lauren Fitzgerald", "LMT, CNMT", "MA66045", 2007, "nmt mfr cupping prs",
              "Senior therapist who trains the team in assessment.", hours="two_sites"),
            T("Andre Williams", "LMT", "MA87912", 2016, "nmt deep sports",
              "Former high-school coach; likes working on shoulders and hips."),
            T("Priya Raman", "LMT, CNMT", "MA90876", 2018, "nmt mfr prs",
              "Gentle trigger-point work for headaches and jaw pain.", location=1,
              hours="with_lunch"),
        ),
        services=(
            S("nmt", 60, 120, after=15), S("nmt", 90, 170, after=15), S("mfr", 60, 115),
            S("cupping", 60, 110),
        ),
        deposit_kind=P, deposit_value=30, cancellation_window_hours=24,
        intake_note="Your first visit includes a posture check; wear or bring loose "
        "clothing.",
    ),
    _fl(
        "Channelside Fascia & Friction Studio", 8, area="813",
        tagline="Tool work and friction for tendons and scar tissue",
        description="Instrument-assisted work, cross-fiber friction and myofascial release "
        "for tendon trouble, scar tissue and old injuries.",
        locations=(L("1100 Channelside Dr", "Tampa", "33602", line2="Unit 4"),),
        therapists=(
            T("Marisol Vega", "LMT", "MA79935", 2013, "iastm cff mfr",
              "Focuses on elbows, wrists and feet: the small joints that hold a grudge."),
            T("Ben Abernathy", "LMT", "MA92254", 2018, "iastm sports cff",
              "Works with tennis and pickleball players.", hours="early"),
        ),
        services=(
            S("iastm", 60, 120), S("cff", 30, 60, "Cross-fiber friction, focused"),
            S("mfr", 60, 110), S("sports", 60, 105),
        ),
        deposit_kind=F, deposit_value=4000, cancellation_window_hours=24,
    ),
    _fl(
        "Palmetto Moon Prenatal & Lymphatic Care", 9, area="813",
        tagline="Care through pregnancy, recovery and beyond",
        description="A women-led practice offering pregnancy massage, lymphatic drainage "
        "after surgery and positional release for sensitive bodies.",
        locations=(L("3701 W Kennedy Blvd", "Tampa", "33609", line2="Suite 120"),),
        therapists=(
            T("Rebecca Sinclair", "LMT, CLT", "MA68820", 2008, "mld prenatal prs",
              "Certified in lymphatic therapy; works closely with local surgeons."),
            T("Ayesha Khan", "LMT", "MA94010", 2019, "prenatal swedish mld",
              "Doula-trained and fluent in Urdu and Hindi.", hours="saturdays"),
        ),
        services=(
            S("prenatal", 60, 100), S("prenatal", 90, 140), S("mld", 60, 110, after=15),
            S("mld", 90, 150, after=15), S("swedish", 60, 90),
        ),
        deposit_kind=P, deposit_value=20, cancellation_window_hours=48,
        intake_note="After surgery we need your surgeon's clearance before lymphatic work.",
        promotions=(PromotionSeed("NEWMOM", "$15 off postpartum lymphatic drainage",
                                  "For clients within six months of giving birth.", AMT,
                                  1500, modality=K["mld"]),),
    ),
    _fl(
        "Ironwood Heron Sports Bodywork", 10, area="813",
        tagline="Sports massage and stretching near the bayshore",
        description="Sports-focused bodywork with assisted stretching and deep tissue, "
        "popular with rowers and triathletes.",
        locations=(L("4100 W Gandy Blvd", "Tampa", "33611"),),
        therapists=(
            T("Kevin O'Brien", "LMT", "MA85563", 2015, "sports pnf deep",
              "Ex-rower who knows what a long erg session does to a back."),
            T("Lina Haddad", "LMT, CNMT", "MA88804", 2016, "nmt sports pnf cupping",
              "Trigger-point and cupping work for triathletes.", hours="late_week"),
        ),
        services=(
            S("sports", 60, 100), S("sports", 90, 140), S("pnf", 60, 90, "Assisted "
              "stretching, full body"), S("nmt", 60, 105), S("deep", 60, 95),
        ),
        deposit_kind=P, deposit_value=20, cancellation_window_hours=24,
    ),
    _fl(
        "Sandbar Structural Bodywork", 11,
        tagline="Posture-first structural work in Clearwater",
        description="Structural Energetic Therapy and neuromuscular work for people whose "
        "pain keeps coming back because their posture pulls it back.",
        locations=(L("1450 S Fort Harrison Ave", "Clearwater", "33756"),),
        therapists=(
            T("Natalie Brennan", "LMT, CNMT", "MA71180", 2010, "set nmt mfr deep",
              "Certified S.E.T. therapist; photographs posture at the first visit to track "
              "change."),
            T("Samuel Okafor", "LMT", "MA90533", 2017, "nmt deep mfr",
              "Methodical, firm and good at explaining what he finds.", hours="evenings"),
        ),
        services=(
            S("set", 90, 175, after=15, consult=True), S("nmt", 60, 110), S("mfr", 60, 105),
            S("deep", 60, 100),
        ),
        deposit_kind=P, deposit_value=35, cancellation_window_hours=48,
    ),
    _fl(
        "Mangrove Quarter Massage & Cupping", 12,
        tagline="Cupping, deep tissue and Thai in downtown Clearwater",
        description="A relaxed downtown studio mixing cupping with deep tissue, Swedish and "
        "Thai massage.",
        locations=(L("600 Cleveland St", "Clearwater", "33755", line2="Suite 300"),),
        therapists=(
            T("Jasmine Reyes", "LMT", "MA86671", 2015, "cupping deep swedish",
              "Uses cupping to get deep results with less discomfort."),
            T("Arun Patel", "LMT", "MA91987", 2018, "thai deep pnf",
              "Thai massage with an eye for hip and back mobility.", hours="saturdays"),
        ),
        services=(
            S("cupping", 60, 90), S("deep", 60, 90), S("swedish", 60, 75), S("thai", 90, 125),
        ),
        deposit_kind=F, deposit_value=2000, cancellation_window_hours=12,
    ),
    _fl(
        "Heron Flats Recovery Rooms", 13,
        tagline="Recovery sessions for athletes and after surgery",
        description="Sports massage, scraping and stretching for athletes, and lymphatic "
        "drainage for post-operative recovery.",
        locations=(L("2500 East Bay Dr", "Clearwater", "33764"),),
        therapists=(
            T("Chloe Martin", "LMT", "MA83092", 2014, "sports iastm pnf",
              "Certified in instrument-assisted work; travels with a local soccer club."),
            T("Victor Alvarez", "LMT, CLT", "MA75540", 2011, "mld prs swedish",
              "Lymphatic therapist for post-surgical clients.", hours="with_lunch"),
        ),
        services=(
            S("sports", 60, 95), S("iastm", 45, 75, "Scraping, 45 min"), S("pnf", 30, 45),
            S("mld", 60, 105, after=10),
        ),
        deposit_kind=P, deposit_value=20, cancellation_window_hours=24,
    ),
    _fl(
        "Kestrel Lane Neuromuscular Clinic", 14,
        tagline="Neuromuscular therapy for nerve and tendon pain in Largo",
        description="A clinic focused on trigger points, nerve entrapment and tendon "
        "problems, from carpal tunnel to tennis elbow.",
        locations=(L("1200 West Bay Dr", "Largo", "33770"),),
        therapists=(
            T("Rosa Delgado", "LMT, CNMT", "MA69312", 2009, "nmt prs cff mfr",
              "Specializes in carpal tunnel and thoracic outlet complaints."),
            T("Peter Lindqvist", "LMT", "MA89120", 2016, "nmt cff deep",
              "Handles the elbows and knees; pragmatic and precise.", hours="early"),
        ),
        services=(
            S("nmt", 60, 95), S("nmt", 30, 55, "Neuromuscular therapy, one area"),
            S("cff", 30, 50), S("prs", 60, 90), S("mfr", 60, 95),
        ),
        deposit_kind=P, deposit_value=25, cancellation_window_hours=24,
    ),
    _fl(
        "Banyan Hollow Bodywork", 15,
        tagline="Relaxing Swedish, Lomi Lomi and pregnancy massage",
        description="Restful bodywork for stress and tired muscles, including pregnancy "
        "sessions and Hawaiian Lomi Lomi.",
        locations=(L("13000 Walsingham Rd", "Largo", "33774"),),
        therapists=(
            T("Olivia Grant", "LMT", "MA80014", 2012, "swedish prenatal lomi",
              "Calm and unhurried, with a background in hospice care."),
        ),
        services=(
            S("swedish", 60, 80), S("swedish", 90, 115), S("prenatal", 60, 85),
            S("lomi", 90, 130),
        ),
        deposit_kind=F, deposit_value=2000, cancellation_window_hours=24,
    ),
    _fl(
        "Cattle Egret Sports & Spine Massage", 16, area="813",
        tagline="Sports and spine massage east of Tampa",
        description="Neuromuscular and sports massage for back pain, sciatica and "
        "training injuries.",
        locations=(L("1100 W Brandon Blvd", "Brandon", "33511"),),
        therapists=(
            T("Marcus Reed", "LMT, CNMT", "MA84210", 2015, "nmt sports pnf deep",
              "Works closely with local physical therapists on back and hip cases."),
            T("Elena Novak", "LMT", "MA92777", 2018, "sports deep pnf",
              "Former gymnast; strong on shoulders and wrists.", hours="saturdays"),
        ),
        services=(
            S("nmt", 60, 100, after=10), S("sports", 60, 95), S("deep", 90, 130),
            S("pnf", 30, 45),
        ),
        deposit_kind=P, deposit_value=20, cancellation_window_hours=24,
    ),
    _fl(
        "Oakfield Stillwater Massage", 17, area="813",
        tagline="Swedish, deep tissue and Thai massage in Brandon",
        description="A general massage studio offering Swedish, deep tissue, Thai and "
        "cupping sessions.",
        locations=(L("800 N Parsons Ave", "Brandon", "33510"),),
        therapists=(
            T("Trevor Hastings", "LMT", "MA78843", 2012, "swedish deep thai cupping",
              "Generalist with a steady following of regulars."),
        ),
        services=(S("swedish", 60, 70), S("deep", 60, 85), S("thai", 90, 115),
                  S("cupping", 30, 45)),
        deposit_kind=F, deposit_value=2000, cancellation_window_hours=24,
        status=ClinicStatus.SUSPENDED,
        status_reason="Licence documents lapsed; the listing is hidden until renewed "
        "licences are checked.",
    ),
)

COLORADO_DEMO: tuple[ClinicSeed, ...] = (
    _co(
        "Mile High Trigger Point Works", 21, website=_site("Mile High Trigger Point Works"),
        tagline="Trigger-point specialists in Capitol Hill and the Highlands",
        description="Neuromuscular therapy with myofascial and positional release, across "
        "two Denver studios.",
        locations=(
            L("1400 N Grant St", "Denver", "80203", name="Capitol Hill"),
            L("3500 W 32nd Ave", "Denver", "80211", name="Highlands"),
        ),
        therapists=(
            T("Sarah Lindgren", "LMT, CNMT", "MT.0014502", 2006, "nmt mfr prs deep",
              "Has taught neuromuscular technique to massage students.", hours="two_sites"),
            T("Diego Fuentes", "LMT", "MT.0023318", 2016, "nmt deep sports",
              "Works with climbers and skiers on forearms, shoulders and knees."),
            T("Hana Sato", "LMT, CNMT", "MT.0027741", 2018, "nmt prs mfr",
              "Gentle, precise work for headaches and jaw tension.", location=1,
              hours="evenings"),
        ),
        services=(
            S("nmt", 60, 110, after=10), S("nmt", 90, 160, after=10), S("mfr", 60, 105),
            S("prs", 60, 100), S("deep", 60, 100),
        ),
        deposit_kind=P, deposit_value=25, cancellation_window_hours=24,
        promotions=(PromotionSeed("ALTITUDE10", "10% off neuromuscular therapy",
                                  "Any neuromuscular session, any length.", PCT, 10,
                                  modality=K["nmt"], valid_days=45),),
    ),
    _co(
        "Larimer Loft Myofascial Studio", 22,
        tagline="Fascia-focused work downtown",
        description="Myofascial release, cupping and scraping in a loft studio, for "
        "stiffness that stretching alone does not shift.",
        locations=(L("1650 Larimer St", "Denver", "80202", line2="Loft 3"),),
        therapists=(
            T("Julia Moreau", "LMT", "MT.0019954", 2012, "mfr cupping iastm",
              "Trained in fascial anatomy dissection; explains every step."),
            T("Isaac Bernstein", "LMT", "MT.0030127", 2020, "mfr iastm deep",
              "Desk-worker specialist for necks, wrists and low backs.", hours="evenings"),
        ),
        services=(S("mfr", 60, 115), S("mfr", 90, 165), S("cupping", 60, 105),
                  S("iastm", 30, 60)),
        deposit_kind=P, deposit_value=20, cancellation_window_hours=24,
    ),
    _co(
        "Wash Park Willow Bodywork", 23,
        tagline="Gentle massage and acupuncture near the park",
        description="Swedish, pregnancy and lymphatic massage alongside acupuncture, for "
        "stress, sleep and recovery.",
        locations=(L("1010 S Gaylord St", "Denver", "80209"),),
        therapists=(
            T("Emily Novotny", "LMT", "MT.0016638", 2010, "swedish prenatal mld",
              "Pregnancy and postpartum specialist."),
            T("Daniel Cho", "L.Ac.", "AC.0005512", 2014, "acu",
              "Acupuncturist focused on headaches, stress and sleep.", hours="part_time"),
        ),
        services=(S("swedish", 60, 90), S("prenatal", 60, 100), S("mld", 60, 105),
                  S("acu", 60, 90, "Acupuncture", after=10)),
        deposit_kind=F, deposit_value=2500, cancellation_window_hours=24,
    ),
    _co(
        "Pinecone Tempo Sports Massage", 24,
        tagline="Sports massage and stretching for Denver's runners and riders",
        description="Sports massage, assisted stretching, scraping and friction work for "
        "training blocks and race recovery.",
        locations=(L("250 Steele St", "Denver", "80206"),),
        therapists=(
            T("Connor Walsh", "LMT", "MT.0021109", 2014, "sports pnf cff",
              "Marathoner who plans sessions around your training calendar."),
            T("Zoe Adebayo", "LMT", "MT.0026652", 2017, "sports iastm pnf",
              "Cyclist; works on hips, IT bands and necks.", hours="saturdays"),
            T("Felix Hartmann", "LMT, CNMT", "MT.0017720", 2011, "nmt sports cff",
              "Trigger-point work for persistent tendon pain.", hours="early"),
        ),
        services=(S("sports", 60, 110), S("sports", 90, 155), S("pnf", 30, 55),
                  S("iastm", 30, 60), S("cff", 30, 55)),
        deposit_kind=P, deposit_value=30, cancellation_window_hours=12,
    ),
    _co(
        "Highlands Kite Thai & Lomi House", 25, area="720",
        tagline="Thai and Lomi Lomi in a converted bungalow",
        description="Mat-based Thai massage and flowing Lomi Lomi, with Swedish on request.",
        locations=(L("3700 Tejon St", "Denver", "80211"),),
        therapists=(
            T("Kalani Akana", "LMT", "MT.0022980", 2013, "lomi swedish",
              "Lomi Lomi practitioner raised on Maui.", hours="late_week"),
            T("Pim Chaiyasit", "LMT", "MT.0028814", 2015, "thai swedish",
              "Thai massage teacher with twenty years on the mat."),
        ),
        services=(S("thai", 90, 135), S("thai", 120, 175), S("lomi", 90, 145),
                  S("swedish", 60, 85)),
        deposit_kind=F, deposit_value=3000, cancellation_window_hours=48,
    ),
    _co(
        "Cherry Ridge Structural Therapy", 26,
        tagline="Structural and neuromuscular work (opening soon)",
        description="A new practice offering Structural Energetic Therapy and "
        "neuromuscular therapy; awaiting verification.",
        locations=(L("300 S Pennsylvania St", "Denver", "80209"),),
        therapists=(
            T("Audrey Kowalski", "LMT, CNMT", "MT.0031145", 2015, "set nmt mfr",
              "Certified in S.E.T.; previously worked in a spine clinic."),
        ),
        services=(S("set", 90, 170, consult=True), S("nmt", 60, 110), S("mfr", 60, 105)),
        deposit_kind=P, deposit_value=40, cancellation_window_hours=48,
        status=ClinicStatus.PENDING,
    ),
    _co(
        "Sable Creek Neuromuscular Studio", 27, area="720",
        tagline="Neuromuscular and deep tissue work in Aurora",
        description="Trigger-point, deep tissue and cupping sessions, with Swedish for "
        "lighter days.",
        locations=(L("1500 S Havana St", "Aurora", "80012"),),
        therapists=(
            T("Jamal Washington", "LMT, CNMT", "MT.0018876", 2011, "nmt deep cupping",
              "Veteran who treats many fellow veterans for back and shoulder pain."),
            T("Katrina Volkov", "LMT", "MT.0025403", 2016, "swedish deep cupping",
              "Adjusts pressure carefully and checks in often.", hours="evenings"),
        ),
        services=(S("nmt", 60, 95), S("deep", 60, 90), S("cupping", 60, 90),
                  S("swedish", 60, 75), S("deep", 90, 125)),
        deposit_kind=P, deposit_value=15, cancellation_window_hours=24,
    ),
    _co(
        "Plains Aspen Recovery Rooms", 28, area="720",
        tagline="Stretching, sports and lymphatic recovery in Aurora",
        description="Recovery-focused sessions: sports massage, assisted stretching, "
        "positional release and lymphatic drainage.",
        locations=(L("15200 E Iliff Ave", "Aurora", "80014"),),
        therapists=(
            T("Brianna Lopez", "LMT", "MT.0024471", 2015, "sports pnf prs",
              "Works with youth soccer and club volleyball players."),
            T("Gregory Tan", "LMT, CLT", "MT.0019038", 2010, "mld prs swedish",
              "Lymphatic therapist for surgical recovery.", hours="with_lunch"),
        ),
        services=(S("sports", 60, 95), S("pnf", 60, 85, "Assisted stretching, full body"),
                  S("prs", 60, 90), S("mld", 60, 100, after=10)),
        deposit_kind=F, deposit_value=2500, cancellation_window_hours=24,
    ),
    _co(
        "Bearcreek Switchback Bodywork", 29,
        tagline="Neuromuscular and sports work for Lakewood's outdoor crowd",
        description="Trigger-point, myofascial, sports and friction work for hikers, "
        "climbers and skiers.",
        locations=(L("7100 W Alameda Ave", "Lakewood", "80226"),),
        therapists=(
            T("Nathan Pryor", "LMT, CNMT", "MT.0020225", 2013, "nmt mfr cff",
              "Climber who knows forearms and shoulders well."),
            T("Leah Goldberg", "LMT", "MT.0029360", 2018, "sports mfr pnf",
              "Ski-season specialist for knees and hips.", hours="late_week"),
        ),
        services=(S("nmt", 60, 100), S("mfr", 60, 95), S("sports", 60, 95),
                  S("cff", 30, 50), S("nmt", 90, 140)),
        deposit_kind=P, deposit_value=20, cancellation_window_hours=24,
        promotions=(PromotionSeed("TRAILDAY", "$10 off any sports massage",
                                  "Good on weekdays.", AMT, 1000, modality=K["sports"],
                                  valid_days=30, max_redemptions=50),),
    ),
    _co(
        "Juniper Flats Gentle Massage", 30,
        tagline="Soft, careful massage for sensitive bodies",
        description="Swedish, positional release and pregnancy massage for people who "
        "find deep work too much, including those with fibromyalgia.",
        locations=(L("9800 W Colfax Ave", "Lakewood", "80215"),),
        therapists=(
            T("Margaret Ellison", "LMT", "MT.0013390", 2004, "swedish prs prenatal",
              "Decades of work with chronic pain and fibromyalgia."),
        ),
        services=(S("swedish", 60, 75), S("swedish", 90, 105), S("prs", 60, 80),
                  S("prenatal", 60, 85)),
        deposit_kind=F, deposit_value=2000, cancellation_window_hours=24,
    ),
    _co(
        "Foxglove & Fascia", 31,
        tagline="Fascia, cupping and scraping in Littleton",
        description="Myofascial release, cupping, tool work and deep tissue in a quiet "
        "studio off Main Street.",
        locations=(L("2500 W Main St", "Littleton", "80120"),),
        therapists=(
            T("Clara Jennings", "LMT", "MT.0017164", 2011, "mfr cupping iastm deep",
              "Combines cupping and scraping to reach deep layers comfortably."),
            T("Omar Siddiqui", "LMT", "MT.0027007", 2017, "deep mfr",
              "Firm pressure, quiet sessions.", hours="evenings"),
        ),
        services=(S("mfr", 60, 100), S("cupping", 60, 95), S("iastm", 30, 55),
                  S("deep", 60, 95), S("deep", 120, 180)),
        deposit_kind=P, deposit_value=20, cancellation_window_hours=24,
    ),
    _co(
        "Meadowlark Lane Massage", 32,
        tagline="Everyday massage for Littleton families",
        description="Swedish, deep tissue, pregnancy and Thai massage with easy Saturday "
        "appointments.",
        locations=(L("5500 S Wadsworth Blvd", "Littleton", "80123"),),
        therapists=(
            T("Hailey Turner", "LMT", "MT.0028120", 2016, "swedish prenatal deep",
              "Mother of three with a soft spot for expectant parents.", hours="saturdays"),
            T("Ravi Menon", "LMT", "MT.0022291", 2013, "thai deep swedish",
              "Thai massage blended with deep tissue."),
        ),
        services=(S("swedish", 60, 75), S("deep", 60, 85), S("prenatal", 60, 85),
                  S("thai", 90, 120)),
        deposit_kind=P, deposit_value=15, cancellation_window_hours=12,
    ),
    _co(
        "Quarry Hill Sports Bodywork", 33,
        tagline="Sports and neuromuscular work on South Broadway",
        description="Sports massage, trigger-point therapy, stretching and scraping for "
        "athletes and manual workers.",
        locations=(L("3400 S Broadway", "Englewood", "80113"),),
        therapists=(
            T("Wesley Harmon", "LMT, CNMT", "MT.0016003", 2009, "nmt sports pnf iastm",
              "Works with local hockey and lacrosse teams."),
            T("Tessa Morgan", "LMT", "MT.0030980", 2019, "sports iastm",
              "Scraping and sports work for runners.", hours="part_time"),
        ),
        services=(S("sports", 60, 100), S("nmt", 60, 105), S("pnf", 30, 50),
                  S("iastm", 30, 55)),
        deposit_kind=F, deposit_value=3500, cancellation_window_hours=24,
    ),
    _co(
        "Flatiron Lichen Neuromuscular Studio", 34,
        tagline="Neuromuscular therapy and acupuncture in Boulder",
        description="Trigger-point work, myofascial and positional release, and "
        "acupuncture for chronic pain and headaches.",
        locations=(L("1900 Pearl St", "Boulder", "80302", line2="Suite 2"),),
        therapists=(
            T("Miriam Castellano", "LMT, CNMT", "MT.0014917", 2005, "nmt mfr prs",
              "Long experience with headaches and TMJ pain."),
            T("Jonah Whitfield", "L.Ac.", "AC.0006031", 2016, "acu",
              "Acupuncturist working alongside the massage team.", hours="part_time"),
        ),
        services=(S("nmt", 60, 125), S("nmt", 90, 180), S("prs", 60, 110),
                  S("acu", 60, 100, "Acupuncture", after=10)),
        deposit_kind=P, deposit_value=25, cancellation_window_hours=48,
        promotions=(PromotionSeed("PAIRED20", "$20 off acupuncture",
                                  "For clients who also book a massage this month.", AMT,
                                  2000, modality=K["acu"], valid_days=30),),
    ),
    _co(
        "Foothill Wren Recovery Lab", 35,
        tagline="Recovery work for Boulder's athletes",
        description="Sports massage, stretching, cupping and lymphatic recovery sessions "
        "near the university.",
        locations=(L("2600 Baseline Rd", "Boulder", "80303"),),
        therapists=(
            T("Ingrid Solberg", "LMT", "MT.0020864", 2012, "sports pnf cupping",
              "Nordic skier; strong on hips and calves."),
            T("Caleb Foster", "LMT", "MT.0029913", 2018, "sports mld cupping",
              "Works with university club teams.", hours="saturdays"),
        ),
        services=(S("sports", 60, 110), S("pnf", 30, 55), S("cupping", 60, 100),
                  S("mld", 60, 105)),
        deposit_kind=P, deposit_value=20, cancellation_window_hours=24,
    ),
)

DEMO_CLINICS: tuple[ClinicSeed, ...] = FLORIDA_DEMO + COLORADO_DEMO
ALL_CLINICS: tuple[ClinicSeed, ...] = SEED_CLINICS + DEMO_CLINICS

# --- accounts, bookings and time off ---------------------------------------------------


@dataclass(frozen=True)
class UserSeed:
    email: str
    name: str
    role: str  # a Role value
    label: str  # how the CLI lists it
    phone: str | None = None


USERS: tuple[UserSeed, ...] = (
    UserSeed("admin@demo.test", "Avery Admin", "admin", "Admin"),
    UserSeed("client@demo.test", "Casey Client", "client", "Client", "727-555-0190"),
    UserSeed("client2@demo.test", "Robin Client", "client", "Client (second)", "303-555-0191"),
    UserSeed("owner.solely@demo.test", "Sam Solely-Owner", "owner",
             "Owner: Solely"),
    UserSeed("owner.cmt@demo.test", "Chris CMT-Owner", "owner",
             "Owner: Center for Massage"),
    UserSeed("owner.flex@demo.test", "Frankie Flex-Owner", "owner", "Owner: Flex Spine & Sport"),
    UserSeed("owner.pending@demo.test", "Parker Pending-Owner", "owner",
             "Owner: clinic under review"),
)


@dataclass(frozen=True)
class BookingSeed:
    """A past, completed visit, so the client can review it."""

    reference: str
    client_email: str
    clinic: str  # slug
    service: str  # name
    therapist: str  # slug
    days_ago: int  # moved back to a day the therapist works
    local_start: time


BOOKINGS: tuple[BookingSeed, ...] = (
    BookingSeed("DEMOA1K7", "client@demo.test", SOLELY.slug,
                "Therapeutic massage with neuromuscular therapy", "danielle-ortiz", 5,
                time(10, 0)),
    BookingSeed("DEMOB2M4", "client@demo.test", CENTER_FOR_MASSAGE_THERAPY.slug,
                "Neuromuscular therapy", "rachel-kim", 12, time(14, 0)),
    BookingSeed("DEMOC3P9", "client@demo.test", FLEX_SPINE_AND_SPORT.slug,
                "Sports massage", "jordan-price", 26, time(11, 0)),
    BookingSeed("DEMOD4R2", "client@demo.test", "gulfside-myofascial-studio",
                "Myofascial release, 60 min", "hannah-whitaker", 40, time(9, 30)),
    BookingSeed("DEMOE5T8", "client2@demo.test", CENTER_FOR_MASSAGE_THERAPY.slug,
                "Acupuncture", "mei-lin-zhao", 8, time(13, 0)),
    BookingSeed("DEMOF6W3", "client2@demo.test", "mile-high-trigger-point-works",
                "Neuromuscular therapy, 60 min", "diego-fuentes", 18, time(15, 0)),
)


@dataclass(frozen=True)
class TimeOffSeed:
    therapist: str  # slug
    starts_in_days: int
    days: int
    reason: str


TIME_OFF: tuple[TimeOffSeed, ...] = (
    TimeOffSeed("danielle-ortiz", 10, 5, "Continuing education: advanced S.E.T. course"),
    TimeOffSeed("thomas-greene", 3, 1, "Personal day"),
    TimeOffSeed("hannah-whitaker", 20, 7, "Vacation"),
    TimeOffSeed("sarah-lindgren", 6, 2, "Teaching a weekend workshop"),
)
