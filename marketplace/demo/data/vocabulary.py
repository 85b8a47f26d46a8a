"""The vocabulary: every technique with its aliases and intensity, and the conditions
they help, with the short keys the clinic tables use."""

from __future__ import annotations

from dataclasses import dataclass

from ...models.taxonomy import Intensity


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

BY_SLUG = {m.slug: m for m in MODALITIES}

# Short keys keep the clinic tables below readable.
K = {
    "nmt": "neuromuscular-therapy", "mfr": "myofascial-release", "deep": "deep-tissue",
    "swedish": "swedish-massage", "sports": "sports-massage",
    "set": "structural-energetic-therapy", "cupping": "cupping", "iastm": "iastm",
    "prs": "positional-release", "pnf": "pnf-stretching", "cff": "cross-fiber-friction",
    "mld": "lymphatic-drainage", "prenatal": "prenatal-massage", "thai": "thai-massage",
    "lomi": "lomi-lomi", "acu": "acupuncture",
}


def technique_slugs(keys: str) -> tuple[str, ...]:
    return tuple(K[k] for k in keys.split())


CONDITIONS: tuple[ConditionSeed, ...] = (
    ConditionSeed(
        "low-back-pain", "Low back pain",
        "Aching or sharp pain across the lower back, often from tight hip and back muscles, "
        "long hours sitting or lifting.",
        technique_slugs("nmt mfr deep prs pnf cupping set prenatal"),
    ),
    ConditionSeed(
        "neck-shoulder-pain", "Neck and shoulder pain",
        "Stiffness and knots across the neck and upper shoulders, typical of desk work and "
        "rounded posture.",
        technique_slugs("nmt mfr deep cupping prs pnf"),
    ),
    ConditionSeed(
        "sciatica", "Sciatica (soft-tissue / piriformis)",
        "Pain running down the back of the leg when the sciatic nerve is squeezed by tight "
        "soft tissue such as the piriformis muscle, rather than by the spine itself.",
        technique_slugs("nmt mfr deep prs pnf"),
    ),
    ConditionSeed(
        "thoracic-outlet-syndrome", "Thoracic outlet syndrome",
        "Tingling, numbness or ache in the arm and hand when nerves or vessels are crowded "
        "between the collarbone, first rib and neck muscles.",
        technique_slugs("nmt mfr prs pnf"),
    ),
    ConditionSeed(
        "carpal-tunnel", "Carpal tunnel syndrome",
        "Numbness and tingling in the thumb and fingers from pressure on the median nerve; "
        "tight forearm and neck tissue can add to it.",
        technique_slugs("nmt mfr prs iastm"),
    ),
    ConditionSeed(
        "plantar-fasciitis", "Plantar fasciitis",
        "Heel and arch pain, worst with the first steps of the morning, from an irritated "
        "band of tissue under the foot.",
        technique_slugs("nmt mfr iastm cff cupping"),
    ),
    ConditionSeed(
        "frozen-shoulder", "Frozen shoulder",
        "Adhesive capsulitis: a shoulder that grows painful and stiff until lifting the arm "
        "becomes hard.",
        technique_slugs("nmt mfr pnf prs"),
    ),
    ConditionSeed(
        "tendonitis", "Tendonitis",
        "A sore, irritated tendon, usually from overuse or repeated movements at work or in "
        "sport.",
        technique_slugs("cff iastm nmt mfr sports"),
    ),
    ConditionSeed(
        "epicondylitis", "Epicondylitis (tennis or golfer's elbow)",
        "Pain on the outer or inner elbow where the forearm tendons attach, from repeated "
        "gripping and twisting.",
        technique_slugs("cff iastm nmt mfr"),
    ),
    ConditionSeed(
        "tmj", "TMJ (jaw) disorders",
        "Jaw pain, clicking or clenching, often tied to tight chewing and neck muscles.",
        technique_slugs("nmt mfr prs"),
    ),
    ConditionSeed(
        "whiplash", "Whiplash (neck sprain or strain)",
        "Neck pain and stiffness after a sudden jolt, such as a car accident, when muscles "
        "and ligaments are overstretched.",
        technique_slugs("nmt mfr prs pnf"),
    ),
    ConditionSeed(
        "knee-injuries", "Knee injuries",
        "Knee pain after a strain or injury, or from tight thigh and calf muscles pulling on "
        "the joint.",
        technique_slugs("nmt mfr sports iastm cff pnf"),
    ),
    ConditionSeed(
        "post-surgical-recovery", "Post-surgical recovery",
        "Swelling, stiffness and scar tissue after an operation. Wait for your surgeon's "
        "go-ahead; gentle work comes first.",
        technique_slugs("mld mfr prs nmt"),
    ),
    ConditionSeed(
        "postural-imbalance", "Postural imbalance",
        "Rounded shoulders, a tilted pelvis or uneven hips: patterns the body builds to "
        "compensate, which can lead to chronic pain.",
        technique_slugs("set nmt mfr pnf deep thai"),
    ),
    ConditionSeed(
        "chronic-headaches", "Chronic headaches",
        "Frequent tension-type headaches, often fed by trigger points in the neck, shoulders "
        "and jaw.",
        technique_slugs("nmt mfr prs acu"),
    ),
    ConditionSeed(
        "fibromyalgia", "Fibromyalgia",
        "Widespread pain and tenderness with fatigue; gentle, well-paced work is usually "
        "better tolerated than deep pressure.",
        technique_slugs("swedish mfr prs mld acu"),
    ),
    ConditionSeed(
        "stress", "Stress",
        "Tension, poor sleep and a nervous system stuck on high alert; massage helps the body "
        "shift into rest.",
        technique_slugs("swedish lomi mld thai acu prenatal"),
    ),
)
