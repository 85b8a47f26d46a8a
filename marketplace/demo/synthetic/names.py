"""The words synthetic clinics and people are made of: names, streets, credentials,
how common each technique is, session lengths and cancellation reasons."""

from __future__ import annotations

from .. import data as seed_data

FIRST = (
    "Aaliyah", "Abigail", "Adam", "Aiden", "Alex", "Amara", "Andrea", "Ana", "Ben", "Brooke",
    "Caleb", "Camila", "Carmen", "Chloe", "Daniel", "Dana", "Elijah", "Elena", "Emma", "Ethan",
    "Farah", "Gabriel", "Grace", "Hannah", "Hugo", "Isla", "Ivan", "Jada", "Jamie", "Jonah",
    "Julia", "Kai", "Kara", "Leo", "Lena", "Liam", "Lucia", "Maya", "Mateo", "Mia", "Nadia",
    "Noah", "Nora", "Omar", "Paige", "Quinn", "Rafael", "Riley", "Rosa", "Ruby", "Sam", "Sara",
    "Theo", "Tess", "Uma", "Victor", "Wren", "Yusuf", "Zara",
)
LAST = (
    "Abbott", "Adler", "Baker", "Banerjee", "Bishop", "Castillo", "Chen", "Clarke", "Dawson",
    "Diaz", "Ellis", "Evans", "Fischer", "Flores", "Garcia", "Gupta", "Hale", "Harper", "Ibarra",
    "Jensen", "Jones", "Kaur", "Keller", "Kim", "Larsen", "Lopez", "Marsh", "Moreno", "Nakamura",
    "Nguyen", "Novak", "Okoro", "Olsen", "Park", "Patel", "Quinn", "Ramirez", "Reyes", "Rossi",
    "Russell", "Sanchez", "Schmidt", "Singh", "Stone", "Sullivan", "Tanaka", "Torres", "Underwood",
    "Vargas", "Walker", "Ward", "Weber", "Wilson", "Yamamoto", "Young", "Zhang",
)
NAME_PLACES = (
    "Alder", "Amberleaf", "Bluestem", "Briarwood", "Cedar Row", "Cinder Hill", "Copperleaf",
    "Cottonwood", "Dovetail", "Elmstead", "Fernbrook", "Goldfinch", "Granite Ridge", "Hollow Oak",
    "Ironleaf", "Juniper Row", "Kettle Creek", "Lark Hollow", "Linden", "Millbrook", "Mossgate",
    "Northwind", "Oxbow", "Pinewater", "Quailrun", "Redfern", "Saltmeadow", "Silverbirch",
    "Stonecrop", "Tamarack", "Thistle Vale", "Willowmere", "Windrow", "Yarrow",
)
NAME_FOCUS = ("Trigger Point", "Neuromuscular", "Myofascial", "Bodywork", "Sports Massage",
               "Massage", "Recovery", "Structural Bodywork", "Therapeutic Massage")
NAME_KIND = ("Studio", "Works", "Rooms", "Collective", "Clinic", "Lab", "House", "Practice")
STREETS = ("Main St", "Oak Ave", "Park Blvd", "Elm St", "2nd Ave", "Lake Dr", "Maple Ave",
            "Washington St", "Cedar Ln", "Market St", "Hillcrest Rd", "Pine St", "Broadway")
CREDENTIALS = ("LMT", "LMT", "LMT", "LMT, CNMT", "LMT, NCBTMB", "LMT, CNMT", "LMT, CLT")
MASSAGE_WEIGHTS = {
    "neuromuscular-therapy": 6, "myofascial-release": 5, "deep-tissue": 6,
    "swedish-massage": 6, "sports-massage": 4, "structural-energetic-therapy": 1,
    "cupping": 3, "iastm": 2, "positional-release": 2, "pnf-stretching": 2,
    "cross-fiber-friction": 1, "lymphatic-drainage": 2, "prenatal-massage": 2,
    "thai-massage": 1, "lomi-lomi": 1,
}
DURATIONS = (30, 60, 60, 60, 60, 75, 90, 90, 120)
HOURS_KEYS = tuple(seed_data.HOURS_PATTERNS)
CANCEL_REASONS = ("Schedule changed", "Feeling unwell", "Booked another time", "")
