"""The fictional Florida demo clinics (St. Petersburg, Tampa and around)."""

from __future__ import annotations

from functools import partial

from ...models.clinic import ClinicStatus
from .records import (
    AMT,
    FL_TZ,
    PCT,
    ClinicSeed,
    F,
    L,
    P,
    PromotionSeed,
    S,
    T,
    fictional_clinic,
    website,
)
from .vocabulary import K

_fl = partial(fictional_clinic, state="FL", timezone=FL_TZ, area="727")

FLORIDA_DEMO: tuple[ClinicSeed, ...] = (
    _fl(
        "Gulfside Myofascial Studio", 1, website=website("Gulfside Myofascial Studio"),
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
        "Lantern Cove Massage Collective", 6, website=website("Lantern Cove Massage Collective"),
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
        website=website("Hyde Harbor Trigger Point Works"),
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
