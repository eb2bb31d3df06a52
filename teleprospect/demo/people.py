"""Small, fixed tables of people, companies, titles and phone habits for demo data.

Everything here is pure and deterministic: a picker takes the caller's
``random.Random`` and never touches the global one, so the same seed always gives
the same people. The tables are deliberately modest (a few dozen names per culture)
so that they load instantly; variety comes from combining them.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")

#: The last digits of every generated national number are free; the rest (the
#: "block") fixes the area, the exchange or the mobile operator.
FREE_DIGITS = 4


class Weighted(Generic[T]):
    """A weighted choice; the cumulative weights are computed once, not on every pick."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        if not pairs:
            raise ValueError("a weighted choice needs at least one item")
        self._items = [item for item, _ in pairs]
        self._cumulative = list(accumulate(weight for _, weight in pairs))
        self._total = self._cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect(self._cumulative, rng.random() * self._total)]

    @property
    def items(self) -> list[T]:
        return list(self._items)


# --------------------------------------------------------------------------- names

# The tables below are laid out by hand, several entries a line, to stay readable.
# fmt: off

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "anglo": (
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
        "Elizabeth", "William", "Susan", "Richard", "Jessica", "Thomas", "Sarah", "Chris",
        "Karen", "Daniel", "Emily", "Matthew", "Ashley", "Andrew", "Megan", "Ryan", "Laura",
        "Kevin", "Rachel", "Brian", "Hannah", "Oliver", "Charlotte", "Jack", "Sophie", "Liam",
        "Grace", "Ethan", "Chloe", "Noah", "Olivia",
    ),
    "hispanic": (
        "José", "María", "Luis", "Carmen", "Carlos", "Ana", "Juan", "Sofía", "Miguel", "Lucía",
        "Alejandro", "Isabel", "Diego", "Gabriela", "Javier", "Valentina", "Andrés", "Camila",
        "Fernando", "Daniela", "Ricardo", "Paula", "Eduardo", "Adriana",
    ),
    "chinese": (
        "Wei", "Fang", "Jun", "Li", "Ming", "Xiu", "Hao", "Yan", "Jie", "Ling", "Lei", "Mei",
        "Tao", "Jing", "Chen", "Hui", "Kevin", "Grace", "Eric", "Vivian",
    ),
    "indian": (
        "Aarav", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Arjun", "Kavya", "Rohan",
        "Divya", "Amit", "Pooja", "Sanjay", "Neha", "Karthik", "Lakshmi", "Suresh", "Meera",
        "Rajesh", "Deepa", "Nikhil", "Shreya", "Venkat", "Anjali", "Harish", "Aishwarya",
    ),
    "german": (
        "Lukas", "Anna", "Jonas", "Lena", "Maximilian", "Laura", "Felix", "Julia", "Tobias",
        "Katharina", "Jürgen", "Sabine", "Stefan", "Claudia", "Andreas", "Petra", "Björn",
        "Ute", "Matthias", "Birgit", "Sebastian", "Franziska", "Florian", "Jörg", "Dörte",
        "Moritz", "Miriam", "Uwe",
    ),
    "turkish": (
        "Mehmet", "Ayşe", "Mustafa", "Fatma", "Ahmet", "Elif", "Emre", "Zeynep", "Can",
        "Selin", "Burak", "Merve", "Hakan", "Deniz", "Murat", "Özlem",
    ),
    "french": (
        "Jean", "Marie", "Pierre", "Isabelle", "Nicolas", "Sophie", "Julien", "Camille",
        "Thomas", "Émilie", "Antoine", "Céline", "François", "Hélène", "Mathieu", "Chloé",
        "Loïc", "Léa", "Jérôme", "Nathalie", "Benoît", "Gaëlle", "Sébastien", "Aurélie",
        "Olivier", "Manon", "Guillaume", "Françoise",
    ),
    "dutch": (
        "Jan", "Anouk", "Pieter", "Sanne", "Daan", "Lotte", "Bram", "Femke", "Sander", "Eva",
        "Joost", "Marieke", "Thijs", "Inge", "Ruud", "Lieke", "Koen", "Els", "Wouter", "Anke",
        "Maarten", "Floor", "Stijn", "Griet",
    ),
    "arabic": (
        "Mohamed", "Fatima", "Ahmed", "Amina", "Youssef", "Khadija", "Omar", "Leila", "Karim",
        "Nadia", "Hassan", "Samira", "Rachid", "Yasmine", "Mehdi", "Salma",
    ),
    "portuguese": (
        "João", "Maria", "Pedro", "Ana", "Lucas", "Beatriz", "Gabriel", "Juliana", "Rafael",
        "Fernanda", "Thiago", "Camila", "Bruno", "Larissa", "Felipe", "Letícia", "Rodrigo",
        "Conceição", "Marcelo", "Patrícia",
    ),
    "japanese": (
        "Hiroshi", "Yuki", "Takashi", "Akiko", "Kenji", "Naoko", "Daisuke", "Emi", "Satoshi",
        "Haruka", "Kazuki", "Mai", "Shota", "Aya", "Ryo", "Keiko", "Takumi", "Yui",
    ),
    "polish": (
        "Łukasz", "Anna", "Piotr", "Katarzyna", "Krzysztof", "Agnieszka", "Tomasz", "Magdalena",
        "Paweł", "Małgorzata", "Michał", "Joanna",
    ),
    "italian": (
        "Marco", "Giulia", "Luca", "Francesca", "Alessandro", "Chiara", "Matteo", "Sara",
        "Giuseppe", "Elena", "Davide", "Martina",
    ),
    "vietnamese": ("Minh", "Linh", "Anh", "Thảo", "Huy", "Trang", "Duc", "Lan", "Quang", "Mai"),
    "korean": (
        "Min-jun", "Seo-yeon", "Ji-hoon", "Ji-woo", "Hyun", "Soo-jin", "Dong-hyun", "Eun-ji",
    ),
    "african": (
        "Chinedu", "Ngozi", "Kwame", "Ama", "Oluwaseun", "Adaeze", "Kofi", "Abena", "Tunde",
        "Chiamaka", "Emeka", "Folake",
    ),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "anglo": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
        "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Thompson", "White", "Harris",
        "Clark", "Lewis", "Walker", "Hall", "Allen", "Young", "King", "Wright", "Scott",
        "Green", "Baker", "Adams", "Campbell", "Evans", "Roberts", "Turner", "Phillips",
        "Parker", "Edwards", "Collins", "Stewart", "Murphy", "Cook", "O'Brien", "MacDonald",
        "Hughes",
    ),
    "hispanic": (
        "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez",
        "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Morales",
        "Reyes", "Cruz", "Ortiz", "Gutiérrez", "Castillo",
    ),
    "chinese": (
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
        "Sun", "Ma", "Zhu", "Hu", "Lin", "Guo", "He", "Wong", "Chan",
    ),
    "indian": (
        "Sharma", "Patel", "Singh", "Kumar", "Gupta", "Iyer", "Reddy", "Nair", "Mehta", "Joshi",
        "Rao", "Desai", "Menon", "Chopra", "Agarwal", "Bose", "Pillai", "Krishnan",
        "Subramanian", "Banerjee", "Kulkarni", "Shah",
    ),
    "german": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
        "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
        "Hartmann", "Lange", "Groß", "Köhler", "Vogel",
    ),
    "turkish": (
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan",
        "Doğan", "Koç", "Kurt",
    ),
    "french": (
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
        "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Bonnet", "Dupont",
        "Lambert", "Fontaine", "Rousseau", "Chevalier", "Faure", "Mercier",
    ),
    "dutch": (
        "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
        "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
        "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "Peeters", "Maes", "Claes",
        "Willems", "Goossens", "Wouters", "De Smet", "Vermeulen",
    ),
    "arabic": (
        "Benali", "El Amrani", "Haddad", "Mansour", "Bouzid", "Khalil", "Saleh", "Nasser",
        "Belkacem", "Chaouki", "Ait Ahmed", "Rahmani",
    ),
    "portuguese": (
        "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
        "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Araújo",
        "Barbosa", "Cardoso",
    ),
    "japanese": (
        "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
        "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
    ),
    "polish": (
        "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak",
    ),
    "italian": (
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
        "Marino", "Greco", "Bruno", "Conti",
    ),
    "vietnamese": ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"),
    "korean": ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"),
    "african": (
        "Okafor", "Mensah", "Adeyemi", "Boateng", "Okonkwo", "Asante", "Balogun", "Owusu",
        "Eze", "Nwosu",
    ),
}

# fmt: on

# Letters that Unicode decomposition leaves alone, spelled the way people type them
# in e-mail addresses and web domains.
_ASCII_SPELLING = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
    }
)


@lru_cache(maxsize=8192)
def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: "Müller-Lüdenscheidt" → "muellerluedenscheidt"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_SPELLING))
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())


# ---------------------------------------------------------------- companies & jobs

# fmt: off

INDUSTRIES = Weighted(
    [
        ("Software", 14), ("IT services", 10), ("Manufacturing", 12), ("Healthcare", 7),
        ("Financial services", 8), ("Retail", 7), ("Logistics", 6), ("Education", 4),
        ("Energy", 4), ("Telecommunications", 4), ("Professional services", 7),
        ("Public sector", 3), ("Media", 3), ("Construction", 4), ("Hospitality", 2),
        ("Pharmaceuticals", 3), ("Automotive", 4), ("Insurance", 3), ("Real estate", 2),
        ("Non-profit", 1),
    ]
)

#: Words a company in an industry tends to carry in its name.
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "Software": ("Software", "Labs", "Digital", "Systems"),
    "IT services": ("IT", "Consulting", "Solutions", "Networks"),
    "Manufacturing": ("Industries", "Manufacturing", "Components", "Precision"),
    "Healthcare": ("Health", "Medical", "Care", "Clinics"),
    "Financial services": ("Capital", "Finance", "Partners", "Asset Management"),
    "Retail": ("Retail", "Stores", "Market", "Outfitters"),
    "Logistics": ("Logistics", "Freight", "Transport", "Shipping"),
    "Education": ("Academy", "Learning", "Institute", "Education"),
    "Energy": ("Energy", "Power", "Renewables", "Utilities"),
    "Telecommunications": ("Telecom", "Networks", "Communications", "Connect"),
    "Professional services": ("Advisory", "Consulting", "Partners", "Group"),
    "Public sector": ("Agency", "Services", "Authority", "Council"),
    "Media": ("Media", "Studios", "Publishing", "Productions"),
    "Construction": ("Construction", "Builders", "Engineering", "Projects"),
    "Hospitality": ("Hotels", "Hospitality", "Resorts", "Catering"),
    "Pharmaceuticals": ("Pharma", "Biosciences", "Therapeutics", "Labs"),
    "Automotive": ("Automotive", "Motors", "Mobility", "Parts"),
    "Insurance": ("Insurance", "Assurance", "Mutual", "Underwriters"),
    "Real estate": ("Properties", "Real Estate", "Realty", "Estates"),
    "Non-profit": ("Foundation", "Trust", "Alliance", "Association"),
}

BRAND_HEADS = (
    "Blue", "North", "Silver", "Bright", "Clear", "Red", "Green", "Iron", "Summit", "River",
    "Stone", "Oak", "Pine", "Sun", "Star", "Cloud", "Data", "Quantum", "Nova", "Apex",
    "Vertex", "Terra", "Aqua", "Helio", "Astra", "Zen", "Core", "Pulse", "Vita", "Omni",
    "Prime", "Nexus", "Orbit", "Lumen", "Atlas", "Cedar", "Maple", "Harbor", "Falcon", "Eagle",
    "Granite", "Copper", "Crystal", "Delta", "Echo", "Ever", "Fair", "High", "Key", "West",
)
BRAND_TAILS = (
    "peak", "wave", "stone", "field", "bridge", "works", "line", "point", "gate", "ridge",
    "forge", "light", "path", "scale", "sys", "tech", "ware", "logic", "soft", "matic",
    "flow", "hub", "net", "view", "base", "mark", "vale", "crest",
)

#: Seniority → (share of leads, English titles). Shares shift with company size.
SENIORITY_TITLES: dict[str, tuple[str, ...]] = {
    "c_level": (
        "Chief Executive Officer", "CEO", "Chief Technology Officer", "CTO",
        "Chief Information Officer", "CIO", "Chief Financial Officer", "CFO",
        "Chief Operating Officer", "Chief Marketing Officer", "Chief Data Officer",
        "Managing Director", "Founder & CEO", "Owner",
    ),
    "vp": (
        "VP of Engineering", "Vice President, Sales", "VP Finance", "VP Operations",
        "VP of IT", "Vice President, Marketing", "SVP Technology", "VP Procurement",
        "VP Customer Success",
    ),
    "director": (
        "IT Director", "Director of Procurement", "Marketing Director", "Head of Data",
        "Director of Operations", "Head of IT Infrastructure", "Finance Director",
        "Head of Digital", "Director, Supply Chain", "Head of Security", "Engineering Director",
    ),
    "manager": (
        "IT Manager", "Procurement Manager", "Operations Manager", "Finance Manager",
        "Project Manager", "Marketing Manager", "Product Manager", "Infrastructure Manager",
        "Purchasing Manager", "Facilities Manager", "Team Lead, Data Engineering",
        "Office Manager",
    ),
    "specialist": (
        "Systems Administrator", "Data Analyst", "Buyer", "Software Engineer",
        "Marketing Specialist", "Accountant", "Network Engineer", "Business Analyst",
        "DevOps Engineer", "Sales Representative", "IT Support Specialist", "Consultant",
    ),
    "junior": (
        "Intern", "Student", "Marketing Intern", "MBA Student", "Trainee", "Working Student",
    ),
}

#: The same jobs as people in some countries write them.
LOCAL_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "c_level": ("Geschäftsführer", "Geschäftsführerin", "Vorstand", "Inhaber"),
        "director": ("IT-Leiter", "Leiter Einkauf", "Bereichsleiter Vertrieb", "Leiterin Finanzen"),
        "manager": ("Teamleiter IT", "Einkäufer", "Projektleiterin", "Abteilungsleiter"),
        "specialist": ("Sachbearbeiter", "Systemadministrator", "Referentin Marketing"),
        "junior": ("Werkstudent", "Praktikantin", "Auszubildender"),
    },
    "fr": {
        "c_level": ("Président-directeur général", "Directeur général", "Gérant", "DSI"),
        "director": (
            "Directeur des systèmes d'information", "Directrice financière",
            "Directeur des achats",
        ),
        "manager": ("Responsable achats", "Chef de projet", "Responsable informatique"),
        "specialist": ("Ingénieur système", "Chargée de marketing", "Acheteur", "Comptable"),
        "junior": ("Stagiaire", "Alternant", "Étudiante"),
    },
    "nl": {
        "c_level": ("Algemeen directeur", "Directeur-eigenaar", "Eigenaar"),
        "director": ("Hoofd ICT", "Manager Inkoop", "Financieel directeur"),
        "manager": ("Teamleider ICT", "Projectleider", "Inkoper"),
        "specialist": ("Systeembeheerder", "Medewerker marketing", "Adviseur"),
        "junior": ("Stagiair", "Student"),
    },
    "pt": {
        "c_level": ("Diretor Presidente", "Sócio-diretor", "Diretora Executiva"),
        "director": ("Diretor de TI", "Gerente Geral de Compras", "Diretora Financeira"),
        "manager": ("Gerente de TI", "Coordenador de Projetos", "Gerente de Compras"),
        "specialist": ("Analista de Sistemas", "Comprador", "Analista de Marketing"),
        "junior": ("Estagiário", "Estudante"),
    },
}

#: Share of leads by seniority, for small (<50), mid-sized and large (>1000) companies.
_SENIORITY_BY_SIZE = {
    "small": Weighted(
        [("c_level", 28), ("vp", 3), ("director", 10), ("manager", 22), ("specialist", 30),
         ("junior", 7)]
    ),
    "mid": Weighted(
        [("c_level", 6), ("vp", 7), ("director", 17), ("manager", 32), ("specialist", 33),
         ("junior", 5)]
    ),
    "large": Weighted(
        [("c_level", 2), ("vp", 9), ("director", 18), ("manager", 31), ("specialist", 36),
         ("junior", 4)]
    ),
}

#: Company sizes (employees), heavily skewed toward small firms like real lead lists.
_SIZE_BANDS = Weighted(
    [((1, 10), 14), ((11, 50), 24), ((51, 200), 25), ((201, 1000), 20), ((1001, 5000), 11),
     ((5001, 20000), 4), ((20001, 150000), 2)]
)

# fmt: on


def pick_company_size(rng: random.Random) -> int:
    low, high = _SIZE_BANDS.pick(rng)
    return rng.randint(low, high)


def pick_seniority(rng: random.Random, company_size: int) -> str:
    band = "small" if company_size < 50 else "mid" if company_size <= 1000 else "large"
    return _SENIORITY_BY_SIZE[band].pick(rng)


def pick_title(rng: random.Random, seniority: str, title_language: str | None) -> str:
    local = LOCAL_TITLES.get(title_language or "", {}).get(seniority)
    if local and rng.random() < 0.3:
        return rng.choice(local)
    return rng.choice(SENIORITY_TITLES[seniority])


# --------------------------------------------------------------------------- phones


@dataclass(frozen=True)
class PhoneRange:
    """One kind of number in a country (a city's landlines, the mobiles), as people write it.

    Formats are patterns with one ``#`` per digit of the national significant number
    (the number without country code or trunk prefix); the trunk "0" is part of the
    pattern where a country uses one.
    """

    label: str
    blocks: tuple[str, ...]
    nsn_length: int
    local_formats: tuple[tuple[str, float], ...]
    international_formats: tuple[str, ...]
    weight: float
    #: Share of these numbers written with an extension ("x123").
    extension_share: float = 0.0


def _blocks(heads: Sequence[str], middles: Sequence[str]) -> tuple[str, ...]:
    return tuple(head + middle for head in heads for middle in middles)


# fmt: off
# Central-office codes ("exchanges") in use across many North American area codes.
_NANP_EXCHANGES = ("234", "246", "280", "321", "362", "389", "426", "457", "492", "518",
                   "543", "580", "623", "661", "708", "735", "764", "802", "839", "867")
_NANP_LOCAL = (
    ("(###) ###-####", 40), ("###-###-####", 25), ("###.###.####", 8), ("##########", 7),
    ("+1 ### ### ####", 10), ("1-###-###-####", 5), ("+1 (###) ###-####", 5),
)
_NANP_INTERNATIONAL = ("+1 ### ### ####", "+1-###-###-####", "+1 (###) ###-####")
# fmt: on


def _nanp(label: str, area_codes: Sequence[str], weight: float) -> PhoneRange:
    return PhoneRange(
        label,
        _blocks(area_codes, _NANP_EXCHANGES),
        10,
        _NANP_LOCAL,
        _NANP_INTERNATIONAL,
        weight,
        extension_share=0.06,
    )


@dataclass(frozen=True)
class CountryProfile:
    code: str
    name: str
    #: Share of demo leads from this country.
    weight: float
    cultures: tuple[tuple[str, float], ...]
    web_suffix: str
    legal_forms: tuple[str, ...]
    free_mail: tuple[str, ...]
    phone_ranges: tuple[PhoneRange, ...]
    title_language: str | None = None


# fmt: off
COUNTRIES: tuple[CountryProfile, ...] = (
    CountryProfile(
        "US", "United States", 34,
        (("anglo", 55), ("hispanic", 15), ("chinese", 6), ("indian", 7), ("vietnamese", 2),
         ("korean", 3), ("african", 3), ("italian", 4), ("polish", 2), ("arabic", 2),
         ("german", 1)),
        "com", ("Inc.", "LLC", "Corp.", "Co.", ""),
        ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com"),
        (
            _nanp("US Eastern", ("212", "646", "617", "404", "305", "215", "202", "704"), 36),
            _nanp("US Central", ("312", "214", "713", "612", "512", "314"), 27),
            _nanp("US Mountain", ("303", "801", "602", "505"), 10),
            _nanp("US Pacific", ("415", "408", "206", "213", "310", "503", "619"), 25),
            _nanp("US Alaska and Hawaii", ("907", "808"), 2),
        ),
    ),
    CountryProfile(
        "CA", "Canada", 6,
        (("anglo", 50), ("french", 20), ("chinese", 10), ("indian", 10), ("italian", 4),
         ("arabic", 3), ("korean", 3)),
        "ca", ("Inc.", "Ltd.", "Corp.", ""),
        ("gmail.com", "hotmail.ca", "rogers.com", "videotron.ca", "outlook.com"),
        (
            _nanp("Canada Eastern", ("416", "647", "514", "613"), 60),
            _nanp("Canada Central", ("204", "306"), 8),
            _nanp("Canada Mountain", ("403", "780"), 12),
            _nanp("Canada Pacific", ("604", "250"), 15),
            _nanp("Canada Atlantic", ("902",), 5),
        ),
    ),
    CountryProfile(
        "GB", "United Kingdom", 12,
        (("anglo", 70), ("indian", 12), ("polish", 5), ("arabic", 4), ("african", 5),
         ("chinese", 4)),
        "co.uk", ("Ltd", "Ltd", "plc", "LLP"),
        ("gmail.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com", "outlook.com"),
        (
            PhoneRange(
                "London", _blocks(("20",), ("7946", "7123", "7430", "3318", "3892", "8123",
                                            "8740", "3747", "7580", "3059")), 10,
                (("0## #### ####", 55), ("(0##) #### ####", 12), ("0##########", 5),
                 ("+44 ## #### ####", 16), ("+44 (0)## #### ####", 12)),
                ("+44 ## #### ####", "+44 (0)## #### ####", "+44##########"), 40, 0.04,
            ),
            PhoneRange(
                "UK regional", _blocks(("161", "121", "131", "113", "114", "141"),
                                       ("496", "234", "287", "553", "226")), 10,
                (("0### ### ####", 60), ("(0###) ### ####", 15), ("+44 ### ### ####", 25)),
                ("+44 ### ### ####", "+44 (0)### ### ####"), 25, 0.03,
            ),
            PhoneRange(
                "UK mobile", _blocks(("74", "75", "77", "78"), ("1234", "3120", "4502", "5391",
                                                                "7016", "8663")), 10,
                (("0#### ######", 60), ("0#### ### ###", 15), ("+44 #### ######", 20),
                 ("+44 (0)#### ######", 5)),
                ("+44 #### ######", "+44 (0)#### ######", "+44 #### ### ###"), 35,
            ),
        ),
    ),
    CountryProfile(
        "DE", "Germany", 10,
        (("german", 75), ("turkish", 12), ("polish", 6), ("italian", 4), ("arabic", 3)),
        "de", ("GmbH", "GmbH", "AG", "SE", "GmbH & Co. KG", "KG"),
        ("gmx.de", "web.de", "t-online.de", "gmail.com"),
        (
            PhoneRange(
                "German cities", _blocks(("30", "40", "89", "69"), ("2093", "8847", "4401",
                                                                    "6123", "5512")), 10,
                (("0## ########", 40), ("0##/########", 15), ("(0##) #### ####", 10),
                 ("+49 ## ########", 15), ("+49 (0)## ########", 15), ("0##-####-####", 5)),
                ("+49 ## ########", "+49 (0)## ########", "+49 ## #### ####"), 55, 0.03,
            ),
            PhoneRange(
                "German regional", _blocks(("221", "211", "711", "351"), ("123", "456", "770",
                                                                          "918")), 10,
                (("0### #######", 60), ("0###/#######", 20), ("+49 ### #######", 20)),
                ("+49 ### #######", "+49 (0)### #######"), 20,
            ),
            PhoneRange(
                "German mobile", _blocks(("151", "160", "170", "171", "176"), ("1234", "2750",
                                                                               "4412", "8067")),
                11,
                (("0### ########", 55), ("0###-########", 15), ("+49 ### ########", 25),
                 ("+49 (0)### ########", 5)),
                ("+49 ### ########", "+49 (0)### ########", "+49###########"), 25,
            ),
        ),
        title_language="de",
    ),
    CountryProfile(
        "FR", "France", 8,
        (("french", 75), ("arabic", 13), ("portuguese", 4), ("italian", 4), ("african", 4)),
        "fr", ("SAS", "SA", "SARL", "SAS"),
        ("orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"),
        (
            PhoneRange(
                "France landline", ("14268", "14455", "15312", "14720", "47282", "47800",
                                    "49117", "32014", "55600", "24020", "56112", "38845"), 9,
                (("0# ## ## ## ##", 60), ("0#.##.##.##.##", 10), ("0#########", 8),
                 ("+33 # ## ## ## ##", 15), ("+33 (0)# ## ## ## ##", 7)),
                ("+33 # ## ## ## ##", "+33 (0)# ## ## ## ##", "+33#########"), 55,
            ),
            PhoneRange(
                "France mobile", ("61234", "66789", "78123", "75542", "62045", "68891"), 9,
                (("0# ## ## ## ##", 70), ("0#.##.##.##.##", 8), ("0#########", 7),
                 ("+33 # ## ## ## ##", 15)),
                ("+33 # ## ## ## ##", "+33#########"), 45,
            ),
        ),
        title_language="fr",
    ),
    CountryProfile(
        "BE", "Belgium", 3,
        (("dutch", 45), ("french", 45), ("arabic", 6), ("italian", 4)),
        "be", ("NV", "SA", "BV", "SRL"),
        ("skynet.be", "telenet.be", "gmail.com", "proximus.be"),
        (
            PhoneRange(
                "Belgium landline", ("2512", "2736", "2218", "3231", "3448", "9265", "4221"), 8,
                (("0# ### ## ##", 55), ("0#/###.##.##", 15), ("+32 # ### ## ##", 30)),
                ("+32 # ### ## ##", "+32 (0)# ### ## ##"), 55,
            ),
            PhoneRange(
                "Belgium mobile", ("47012", "47534", "48612", "49788", "47790"), 9,
                (("0### ## ## ##", 65), ("0###/##.##.##", 10), ("+32 ### ## ## ##", 25)),
                ("+32 ### ## ## ##",), 45,
            ),
        ),
        title_language="nl",
    ),
    CountryProfile(
        "NL", "Netherlands", 4,
        (("dutch", 78), ("turkish", 8), ("arabic", 7), ("indian", 3), ("chinese", 4)),
        "nl", ("B.V.", "B.V.", "N.V."),
        ("ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl"),
        (
            PhoneRange(
                "Netherlands landline", ("20512", "20624", "10412", "30233", "70345", "40256"), 9,
                (("0## ### ####", 50), ("0##-#######", 20), ("+31 ## ### ####", 20),
                 ("+31 (0)## ### ####", 10)),
                ("+31 ## ### ####", "+31 (0)## ### ####"), 50,
            ),
            PhoneRange(
                "Netherlands mobile", ("61234", "62871", "64450", "65312", "63198"), 9,
                (("0#-########", 45), ("0# ## ## ## ##", 25), ("+31 # ########", 30)),
                ("+31 # ########", "+31 # ## ## ## ##"), 50,
            ),
        ),
        title_language="nl",
    ),
    CountryProfile(
        "IN", "India", 9,
        (("indian", 100),),
        "in", ("Pvt Ltd", "Private Limited", "Ltd", "LLP"),
        ("gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com"),
        (
            PhoneRange(
                "India mobile", ("984501", "990001", "974202", "882603", "702204", "812305",
                                 "937106", "998012"), 10,
                (("+91 ##### #####", 35), ("0##### #####", 10), ("##########", 25),
                 ("+91-##########", 15), ("##### #####", 15)),
                ("+91 ##### #####", "+91-##########", "+91##########"), 70,
            ),
            PhoneRange(
                "India landline", ("222654", "224093", "226781", "804112", "802552", "114153",
                                   "112334", "442811"), 10,
                (("0## #### ####", 55), ("0##-########", 25), ("+91 ## #### ####", 20)),
                ("+91 ## #### ####", "+91-##-########"), 30,
            ),
        ),
    ),
    CountryProfile(
        "AU", "Australia", 6,
        (("anglo", 65), ("chinese", 12), ("indian", 9), ("italian", 5), ("vietnamese", 5),
         ("korean", 4)),
        "com.au", ("Pty Ltd", "Pty Ltd", "Ltd"),
        ("bigpond.com", "gmail.com", "outlook.com.au", "optusnet.com.au"),
        (
            PhoneRange(
                "Australia landline", ("29374", "28296", "29251", "39620", "38610", "73221",
                                       "73003", "89221", "86318", "88210", "88463"), 9,
                (("(0#) #### ####", 45), ("0# #### ####", 35), ("+61 # #### ####", 20)),
                ("+61 # #### ####", "+61 (0)# #### ####"), 55,
            ),
            PhoneRange(
                "Australia mobile", ("41234", "42378", "43112", "40455", "41890"), 9,
                (("0### ### ###", 70), ("0#########", 10), ("+61 ### ### ###", 20)),
                ("+61 ### ### ###", "+61#########"), 45,
            ),
        ),
    ),
    CountryProfile(
        "BR", "Brazil", 4,
        (("portuguese", 85), ("japanese", 5), ("italian", 6), ("german", 4)),
        "com.br", ("Ltda.", "S.A.", "Ltda.", "ME"),
        ("gmail.com", "hotmail.com", "uol.com.br", "bol.com.br"),
        (
            PhoneRange(
                "Brazil mobile", ("1198765", "1199123", "2199845", "3198112", "5198341",
                                  "9298123", "6199212"), 11,
                (("(##) #####-####", 60), ("## #####-####", 15), ("+55 ## #####-####", 15),
                 ("+55 ## ##### ####", 10)),
                ("+55 ## #####-####", "+55 ## ##### ####", "+55###########"), 65,
            ),
            PhoneRange(
                "Brazil landline", ("113456", "112157", "213221", "613322", "313274"), 10,
                (("(##) ####-####", 70), ("+55 ## ####-####", 30)),
                ("+55 ## ####-####", "+55 ## #### ####"), 35,
            ),
        ),
        title_language="pt",
    ),
    CountryProfile(
        "JP", "Japan", 4,
        (("japanese", 100),),
        "co.jp", ("K.K.", "Co., Ltd.", "Inc."),
        ("gmail.com", "yahoo.co.jp", "docomo.ne.jp"),
        (
            PhoneRange(
                "Japan landline", ("35412", "36205", "33211", "66341", "64560"), 9,
                (("0#-####-####", 65), ("0# #### ####", 15), ("+81 #-####-####", 20)),
                ("+81 #-####-####", "+81 # #### ####"), 55,
            ),
            PhoneRange(
                "Japan mobile", ("901234", "802345", "703456", "909876"), 10,
                (("0##-####-####", 70), ("+81 ##-####-####", 20), ("+81 ## #### ####", 10)),
                ("+81 ##-####-####", "+81 ## #### ####"), 45,
            ),
        ),
    ),
)
# fmt: on

COUNTRY_BY_CODE: dict[str, CountryProfile] = {country.code: country for country in COUNTRIES}

#: How an extension is written after a number; one ``#`` per digit.
EXTENSION_FORMATS = Weighted([(" x###", 40), (" ext. ##", 25), (" ext ####", 20), (" x####", 15)])


def fill(pattern: str, digits: str) -> str:
    """Write ``digits`` into the ``#`` places of ``pattern``."""
    template, places = _template(pattern)
    if places != len(digits):
        raise ValueError(f"{pattern!r} has {places} digit places, not {len(digits)}")
    return template.format(*digits)


@lru_cache(maxsize=1024)
def _template(pattern: str) -> tuple[str, int]:
    escaped = pattern.replace("{", "{{").replace("}", "}}")
    return escaped.replace("#", "{}"), pattern.count("#")


#: Typical ways people get a phone field wrong on a form.
NOT_A_NUMBER = (
    "n/a",
    "call after 3pm",
    "see email",
    "ask reception",
    "-",
    "000",
    "tbd",
    "mobile only",
    "none",
    "123",
)
