"""The fictional Colorado demo clinics (Denver and around)."""

from __future__ import annotations

from functools import partial

from ...models.clinic import ClinicStatus
from .records import (
    AMT,
    CO_TZ,
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

_co = partial(fictional_clinic, state="CO", timezone=CO_TZ, area="303")

COLORADO_DEMO: tuple[ClinicSeed, ...] = (
    _co(
        "Mile High Trigger Point Works", 21, website=website("Mile High Trigger Point Works"),
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
