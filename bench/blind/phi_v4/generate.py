#!/usr/bin/env python3
"""Blind PHI evaluation corpus, v4: free clinical prose composed from clauses.

Deterministic: run `.venv/bin/python generate.py` (Python 3.11, Faker 40.63.0) and it
rewrites test.jsonl byte for byte.  Every identifier is synthetic.

Design: a document is a list of segments (string, TYPE-or-None).  Templates use a small
mini-language:
    [a|b|c]        random choice (nested allowed, innermost first)
    {key}          a value from the per-document cast (lazy, cached -> consistent)
    {key.attr}     a form of that value (e.g. {pt.last}, {adm.long}, {pt.LF})
    {~pool}        an unlabelled filler drawn from a vocabulary pool (itself a template)
    {#a-b}         an unlabelled random integer in [a, b]
Case changes and OCR noise are applied per segment before concatenation, so the offsets
computed afterwards are exact.
"""
import datetime
import json
import random
import re
import sys

from faker import Faker

MASTER_SEED = 20261207
OUT = "test.jsonl"
LOCALES = ["en_US", "en_GB", "en_CA", "en_AU", "en_IN"]
TYPES = ["NAME", "ADDRESS", "LOCATION", "ZIP", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "MRN",
         "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "BIOMETRIC",
         "ID", "FACILITY"]
KINDS = ["discharge_summary", "nursing_note", "progress_note", "history_physical",
         "ems_run_report", "pharmacy_log", "referral_letter", "lab_report", "radiology_report",
         "csv_export", "json_export", "hl7_message", "email", "portal_message",
         "call_transcript", "incident_report", "consent_form"]
NOPHI_KINDS = {"discharge_summary", "nursing_note", "progress_note", "history_physical",
               "ems_run_report", "pharmacy_log", "lab_report", "radiology_report",
               "csv_export", "json_export", "incident_report", "consent_form"}
DOCS_PER_KIND = 50
NOPHI_PER_KIND = 18

# first names / towns that are also ordinary English words: exempt from the repeat check
WORDLIKE = {"may", "will", "grace", "hope", "rose", "june", "mark", "ray", "faith", "joy",
            "dawn", "art", "bill", "sunny", "summer", "april", "august", "orange", "sale",
            "reading", "bath", "deal", "march", "sandy", "rusty", "pat", "frank", "gay",
            "ivy", "holly", "penny", "robin", "jean", "carol", "hazel", "cliff", "drew"}
WORDLIKE_FIRST_F = ["May", "Grace", "Hope", "Rose", "June", "Faith", "Joy", "Dawn", "Ivy",
                    "Holly", "Hazel", "Robin"]
WORDLIKE_FIRST_M = ["Will", "Mark", "Ray", "Art", "Bill", "Frank", "Cliff", "Drew", "Pat"]

# --------------------------------------------------------------------------------------
# Vocabularies (hand-written)
# --------------------------------------------------------------------------------------
US_TOWNS = """Millbrook Dayton Akron Macon Waco Yakima Duluth Muncie Joliet Kenosha Bozeman Pueblo
Salinas Fresno Modesto Lubbock Amarillo Odessa Laredo Biloxi Tupelo Dothan Valdosta Ocala
Gainesville Sarasota Lakeland Roanoke Lynchburg Hagerstown Scranton Altoona Utica Elmira Ithaca
Binghamton Bangor Nashua Pittsfield Worcester Lowell Brockton Stamford Waterbury Trenton Paterson
Toledo Youngstown Flint Saginaw Kalamazoo Lansing Peoria Rockford Evansville Dubuque Topeka
Wichita Omaha Fargo Bismarck Casper Cheyenne Billings Missoula Boise Nampa Spokane Tacoma Yuma
Flagstaff Tucson Reno Provo Ogden Eugene Medford Redding Chico Visalia Bakersfield Oxnard Hialeah
Pensacola Shreveport Texarkana Joplin Springdale Lawton Enid Harlingen Kokomo Mankato Sheboygan
Oshkosh Wausau Janesville Cedar_Rapids Sioux_Falls Rapid_City Grand_Junction Las_Cruces
Santa_Fe Fort_Collins Coeur_d'Alene Walla_Walla Baton_Rouge Lake_Charles Hot_Springs
Bowling_Green Elizabethtown Paducah Johnson_City Chattanooga Spartanburg Florence Hickory
Wilmington Fayetteville Greenville Hattiesburg Tuscaloosa""".split()
US_HOODS = ["South Bronx", "Pilsen", "Little Village", "East Harlem", "Overtown", "Five Points",
            "Fishtown", "Germantown", "Hyde Park", "Corktown", "Bed-Stuy", "Koreatown"]
US_COUNTIES = ["Marion County", "Cook County", "Hidalgo County", "Kern County", "Summit County",
               "Lucas County", "Polk County", "Pima County", "Erie County", "Wayne County"]
US_STATES = ["IL", "OH", "TX", "CA", "NY", "PA", "MI", "WI", "GA", "FL", "WA", "OR", "AZ", "NM",
             "CO", "MN", "IA", "MO", "TN", "KY", "NC", "SC", "VA", "MD", "MA", "ME", "NH", "NJ",
             "Ohio", "Texas", "Georgia", "Oregon", "Iowa", "Kentucky", "Minnesota", "Arizona"]
UK_TOWNS = """Keighley Rotherham Barnsley Wakefield Huddersfield Halifax Dewsbury Bolton Wigan
Stockport Oldham Rochdale Burnley Blackburn Preston Lancaster Kendal Carlisle Darlington
Hartlepool Gateshead Sunderland Scarborough Harrogate Grimsby Scunthorpe Grantham Kettering
Corby Wellingborough Northampton Bedford Luton Stevenage Watford Slough Basingstoke Andover
Salisbury Swindon Taunton Yeovil Exeter Torquay Truro Penzance Barnstaple Gloucester Cheltenham
Hereford Shrewsbury Telford Stafford Stoke-on-Trent Crewe Chester Wrexham Aberystwyth Swansea
Llanelli Merthyr_Tydfil Paisley Kilmarnock Motherwell Falkirk Stirling Dundee Inverness Dumfries
Coleraine Omagh Lisburn Newry Margate Folkestone Hastings Eastbourne Crawley Horsham Guildford
Woking Chelmsford Colchester Ipswich Lowestoft Norwich King's_Lynn Peterborough Huntingdon
Tooting Lewisham Walthamstow Croydon Ilford Hackney Handsworth Moss_Side Armley Headingley
Glasgow Bradford Leeds""".split()
UK_COUNTIES = ["Lancashire", "North Yorkshire", "West Yorkshire", "Derbyshire", "Nottinghamshire",
               "Leicestershire", "Staffordshire", "Cheshire", "Cumbria", "Northumberland",
               "County Durham", "Norfolk", "Suffolk", "Essex", "Surrey", "West Sussex",
               "Hampshire", "Dorset", "Devon", "Cornwall", "Somerset", "Wiltshire",
               "Gloucestershire", "Oxfordshire", "Hertfordshire", "Cambridgeshire",
               "Lincolnshire", "Shropshire", "Worcestershire", "Warwickshire", "Fife", "Powys",
               "Gwynedd", "County Antrim"]
UK_NATIONS = ["England", "Scotland", "Wales", "Northern Ireland", "UK"]
UK_PC_AREAS = ("LS BD M S HD HX WF BL WN SK OL BB PR LA CA DL TS NE SR DH YO HG DN LN PE NN MK LU "
               "SG WD SL RG SP SN TA BA EX TQ TR GL WR HR SY TF ST CW CH LL SA CF NP PA KA ML FK "
               "DD PH IV DG BT CT TN BN RH GU CM CO IP NR E N SE SW CR IG").split()
CA_TOWNS = """Kamloops Kelowna Nanaimo Abbotsford Chilliwack Prince_George Red_Deer Lethbridge
Medicine_Hat Grande_Prairie Moose_Jaw Saskatoon Regina Brandon Thunder_Bay Sudbury
Sault_Ste._Marie North_Bay Timmins Barrie Orillia Belleville Kingston Oshawa Whitby Brampton
Mississauga Oakville Guelph Kitchener Brantford Sarnia Chatham Stratford Woodstock Gatineau
Sherbrooke Trois-Rivières Saguenay Rimouski Moncton Fredericton Saint_John Bathurst Truro
Charlottetown Summerside Corner_Brook Gander Yellowknife Whitehorse Scarborough Etobicoke
Surrey Burnaby Laval Longueuil Lévis Markham""".split()
CA_PROV = ["ON", "BC", "AB", "SK", "MB", "QC", "NB", "NS", "PE", "NL", "YT", "NT", "Ontario",
           "British Columbia", "Alberta", "Manitoba", "Quebec", "Nova Scotia", "New Brunswick"]
AU_TOWNS = """Ballarat Bendigo Shepparton Wodonga Mildura Geelong Warrnambool Traralgon Toowoomba
Bundaberg Rockhampton Mackay Townsville Cairns Gladstone Hervey_Bay Caboolture Dubbo Wagga_Wagga
Tamworth Armidale Lismore Grafton Coffs_Harbour Port_Macquarie Goulburn Queanbeyan Nowra
Wollongong Gosford Maitland Cessnock Mount_Gambier Whyalla Port_Augusta Murray_Bridge Bunbury
Geraldton Kalgoorlie Mandurah Launceston Devonport Burnie Alice_Springs Katherine Parramatta
Blacktown Penrith Campbelltown Bankstown Cabramatta Chatswood Hornsby Footscray Dandenong
Frankston Werribee Broadmeadows Fitzroy Glenelg Joondalup Fremantle Inala Redcliffe Palmerston
Orange""".split()
AU_STATES = ["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT", "Victoria", "Queensland",
             "New South Wales", "Tasmania"]
IN_TOWNS = """Pune Nagpur Nashik Aurangabad Kolhapur Solapur Indore Bhopal Jabalpur Gwalior Lucknow
Kanpur Agra Varanasi Meerut Prayagraj Patna Gaya Ranchi Jamshedpur Bhubaneswar Cuttack Guwahati
Siliguri Durgapur Asansol Howrah Coimbatore Madurai Tiruchirappalli Salem Erode Vellore
Tirunelveli Kochi Thrissur Kozhikode Kollam Thiruvananthapuram Mysuru Mangaluru Hubballi
Belagavi Davanagere Vijayawada Visakhapatnam Guntur Nellore Warangal Karimnagar Surat Vadodara
Rajkot Bhavnagar Jamnagar Jodhpur Udaipur Kota Ajmer Bikaner Ludhiana Amritsar Jalandhar Patiala
Dehradun Haridwar Shimla Jammu Raipur Bilaspur Thane Navi_Mumbai Ghaziabad Noida""".split()
IN_LOCALITIES = ["Koramangala", "Indiranagar", "Jayanagar", "Whitefield", "Andheri East", "Dadar",
                 "Borivali", "Kothrud", "Hadapsar", "Salt Lake", "Behala", "Adyar", "T. Nagar",
                 "Velachery", "Anna Nagar", "Banjara Hills", "Kukatpally", "Gachibowli", "Saket",
                 "Rohini", "Dwarka", "Lajpat Nagar", "Karol Bagh", "Malviya Nagar", "Aliganj",
                 "Gomti Nagar", "Chembur", "Kakkanad", "Palarivattom", "Vashi"]
IN_DISTRICTS = ["Ernakulam", "Dakshina Kannada", "Kamrup", "Nadia", "Sangli", "Satara",
                "Kanchipuram", "Tumakuru", "Bareilly", "Muzaffarpur", "Ganjam", "Karnal"]
IN_STATES = ["Maharashtra", "Karnataka", "Tamil Nadu", "Kerala", "Uttar Pradesh", "Gujarat",
             "Rajasthan", "Punjab", "Bihar", "West Bengal", "Odisha", "Telangana",
             "Andhra Pradesh", "Madhya Pradesh", "Assam", "MH", "KA", "TN", "UP"]
COUNTRIES = ["Poland", "Nigeria", "Vietnam", "the Philippines", "Mexico", "Ireland", "Somalia",
             "Sri Lanka", "Jamaica", "Portugal", "Ukraine", "Ghana", "Pakistan", "Greece",
             "Kenya", "Italy", "Lebanon", "Fiji", "Brazil", "China"]

STREET_WORDS = """Harlow Beacon Mill Station Church Park Victoria Albert Oak Maple Cedar Elm Willow Birch
Pine Chestnut Walnut Ridge Hill Lake River Meadow Orchard Spring Highland Sunset Prospect Union
Franklin Jefferson Madison Pershing Garfield Lafayette Wellington Cromwell Manor Beech Ash Hawthorn
Rowan Heather Bramble Foxglove Kingfisher Heron Wren Lark Swallow Cotton Tanner Barley Granary
Quarry Kiln Forge Dockside Harbour Ferry Canal Bridge Abbey Priory Chapel Vicarage Rectory
Greenway Fairview Belmont Clifton Ashford Whitmore Kensal Aldridge Pemberton Hollis Carver
Everton Ravens Falcon Juniper Magnolia Sycamore Poplar Alder Hazelwood Brookfield Linden
Wattle Banksia Jacaranda Acacia Bottlebrush Boronia Grevillea Waratah Kurrajong Coolabah
Tamarack Spruce Laurier Dufferin Riel Champlain Tecumseh Brock Simcoe""".split()
US_ST_TYPES = ["Street", "St", "St.", "Avenue", "Ave", "Ave.", "Road", "Rd", "Boulevard", "Blvd",
               "Drive", "Lane", "Ln", "Court", "Ct", "Place", "Way", "Terrace", "Circle",
               "Parkway", "Trail", "Crescent", "Pike"]
UK_ST_TYPES = ["Road", "Street", "Lane", "Close", "Grove", "Avenue", "Terrace", "Crescent",
               "Drive", "Way", "Gardens", "Mews", "Place", "Row", "Walk", "Rise", "Court", "Fold"]
AU_ST_TYPES = ["Street", "St", "Road", "Rd", "Parade", "Pde", "Crescent", "Cres", "Court", "Ct",
               "Avenue", "Ave", "Drive", "Place", "Circuit", "Close", "Esplanade", "Highway",
               "Way", "Grove", "Terrace"]
CA_ST_TYPES = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Drive", "Crescent", "Boulevard",
               "Court", "Way", "Line", "Sideroad", "Trail", "Gate"]
IN_ROADS = ["Misra Road", "M.G. Road", "Nehru Street", "Gandhi Road", "Tilak Marg",
            "Sardar Patel Road", "5th Cross", "80 Feet Road", "Station Road", "Temple Street",
            "Ring Road", "Old Airport Road", "Kamaraj Salai", "Netaji Subhash Marg",
            "College Road", "Main Road", "Bazaar Street", "Hospital Road", "Cantonment Road",
            "Link Road", "S.V. Road", "Rajaji Street", "Pillai Street", "Chowk Road"]
IN_BUILDINGS = ["Sai Krupa Apartments", "Shanti Niketan", "Ganga Residency", "Lotus Enclave",
                "Shree Ganesh Heights", "Green Park Society", "Kaveri Towers", "Anand Vihar CHS",
                "Sunrise Residency", "Vrindavan Apartments"]

# name vocabularies beyond Faker
PINYIN_F = ["Mei", "Xiaoling", "Yan", "Jing", "Li Na", "Hui", "Qing", "Xue", "Fang", "Ying"]
PINYIN_M = ["Wei", "Jun", "Hao", "Zhiwei", "Bo", "Jian", "Lei", "Tao", "Yong", "Chen"]
PINYIN_L = ["Zhang", "Wang", "Liu", "Chen", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Hu",
            "Guo", "Lin", "He", "Gao", "Luo", "Zheng", "Liang", "Tang", "Deng"]
KOREAN_F = ["Ji-woo", "Seo-yeon", "Min-ji", "Hye-jin", "Soo-ah", "Eun-ji"]
KOREAN_M = ["Min-jun", "Seo-jun", "Ji-hoon", "Dong-hyun", "Sung-min", "Jae-won"]
KOREAN_L = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han"]
ARABIC_F = ["Fatima", "Aisha", "Mariam", "Layla", "Noor", "Huda", "Amira", "Rania", "Yasmin"]
ARABIC_M = ["Omar", "Khalid", "Yusuf", "Tariq", "Hamza", "Bilal", "Karim", "Samir", "Nabil"]
ARABIC_L = ["Haddad", "Al-Masri", "Nasser", "Khoury", "Abboud", "Saleh", "El-Amin", "Farouk",
            "Mansour", "Qureshi", "Hussein", "Rahimi"]
SOMALI_F = ["Hodan", "Sahra", "Ifrah", "Hibaaq", "Asad", "Ubah"]
SOMALI_M = ["Abdirahman", "Mohamed", "Abdullahi", "Liban", "Farah", "Hassan"]
SOMALI_L = ["Warsame", "Jama", "Abdi", "Osman", "Egal", "Nur", "Dirie", "Hirsi"]
MAORI_F = ["Aroha", "Mere", "Ngaio", "Huia", "Kiri", "Anahera"]
MAORI_M = ["Tane", "Wiremu", "Rawiri", "Hemi", "Tipene", "Manaia"]
MAORI_L = ["Ngata", "Parata", "Tamihana", "Waititi", "Horomona", "Te Whata"]
UKR_F = ["Oksana", "Olena", "Iryna", "Nataliya", "Halyna", "Yulia"]
UKR_M = ["Oleksandr", "Taras", "Bohdan", "Mykola", "Andriy", "Serhiy"]
UKR_L = ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachuk", "Melnyk", "Kravchuk", "Hnatyuk"]
GREEK_F = ["Eleni", "Despina", "Katerina", "Georgia", "Sofia", "Vasiliki"]
GREEK_M = ["Giorgos", "Dimitrios", "Nikos", "Kostas", "Spiros", "Yannis"]
GREEK_L = ["Papadopoulos", "Georgiou", "Konstantinidis", "Anagnostou", "Karalis", "Pappas"]
SOUTH_IN_F = ["Lakshmi", "Meenakshi", "Kavitha", "Revathi", "Anjali", "Divya", "Sowmya",
              "Bhavana", "Padmavathi", "Thenmozhi"]
SOUTH_IN_M = ["Venkatesh", "Murugan", "Karthik", "Srinivas", "Raghavan", "Arjun", "Senthil",
              "Balaji", "Suresh", "Anand"]
SOUTH_IN_L = ["Iyer", "Reddy", "Nair", "Pillai", "Menon", "Subramanian", "Krishnan",
              "Natarajan", "Rao", "Gowda", "Chettiar", "Naidu", "Kurup", "Shetty"]
PUNJABI_F = ["Harpreet", "Simran", "Manpreet", "Gurleen", "Jaspreet", "Navneet"]
PUNJABI_M = ["Gurpreet", "Harjit", "Manjit", "Sukhwinder", "Balwinder", "Jaswant"]
PUNJABI_L = ["Singh", "Kaur", "Sandhu", "Gill", "Dhillon", "Grewal", "Sidhu", "Brar"]
HANDNAMES = {
    "pinyin": (PINYIN_F, PINYIN_M, PINYIN_L), "korean": (KOREAN_F, KOREAN_M, KOREAN_L),
    "arabic": (ARABIC_F, ARABIC_M, ARABIC_L), "somali": (SOMALI_F, SOMALI_M, SOMALI_L),
    "maori": (MAORI_F, MAORI_M, MAORI_L), "ukr": (UKR_F, UKR_M, UKR_L),
    "greek": (GREEK_F, GREEK_M, GREEK_L), "southin": (SOUTH_IN_F, SOUTH_IN_M, SOUTH_IN_L),
    "punjabi": (PUNJABI_F, PUNJABI_M, PUNJABI_L),
}
# name origin mix per document locale: (source, weight); sources are Faker locales or HANDNAMES
ORIGINS = {
    "en_US": [("en_US", 40), ("es_MX", 12), ("vi_VN", 4), ("pinyin", 4), ("korean", 3),
              ("yo_NG", 3), ("ig_NG", 2), ("arabic", 3), ("somali", 3), ("pl_PL", 2),
              ("it_IT", 2), ("en_IN", 3), ("fil_PH", 2), ("pt_BR", 2), ("ukr", 2)],
    "en_GB": [("en_GB", 40), ("en_IE", 6), ("pl_PL", 5), ("en_PK", 6), ("ro_RO", 3),
              ("tw_GH", 3), ("ig_NG", 2), ("southin", 3), ("punjabi", 3), ("ga_IE", 2),
              ("arabic", 3), ("somali", 2), ("pt_BR", 2), ("lt_LT", 2), ("it_IT", 2)],
    "en_CA": [("en_CA", 35), ("fr_FR", 10), ("pinyin", 6), ("punjabi", 6), ("fil_PH", 3),
              ("ukr", 4), ("arabic", 3), ("korean", 3), ("somali", 2), ("it_IT", 2),
              ("pt_BR", 2), ("vi_VN", 2), ("en_IN", 2)],
    "en_AU": [("en_AU", 35), ("en_NZ", 6), ("maori", 4), ("it_IT", 4), ("greek", 5),
              ("vi_VN", 4), ("pinyin", 5), ("arabic", 3), ("korean", 2), ("en_IN", 3),
              ("fil_PH", 2), ("southin", 2)],
    "en_IN": [("en_IN", 55), ("southin", 25), ("punjabi", 10), ("en_PK", 3), ("arabic", 2)],
}
FAKER_LOCALES = sorted({s for v in ORIGINS.values() for s, _ in v if s not in HANDNAMES})

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MON3 = [m[:3] for m in MONTHS]
WD3 = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WDFULL = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy",
        8: "eighty", 9: "ninety"}
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]


def num_words(n, rng, hyphen=True):
    def below100(k):
        if k < 10:
            return ONES[k]
        if k < 20:
            return TEENS[k - 10]
        t, o = divmod(k, 10)
        if o == 0:
            return TENS[t]
        return TENS[t] + ("-" if hyphen else " ") + ONES[o]
    if n < 100:
        return below100(n)
    rest = n - 100
    if rest == 0:
        return rng.choice(["one hundred", "a hundred"])
    return "one hundred " + rng.choice(["and ", "and ", ""]) + below100(rest)


def ordinal(n):
    if 10 <= n % 100 <= 20:
        suf = "th"
    else:
        suf = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


def luhn_check_digit(digits):
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = int(d)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def pat(rng, p):
    """'#' digit, '@' uppercase letter, '%' upper alnum, '&' lowercase letter; rest literal."""
    while "20##" in p:
        p = p.replace("20##", str(rng.randint(2008, 2025)), 1)
    out = []
    for ch in p:
        if ch == "#":
            out.append(rng.choice("0123456789"))
        elif ch == "@":
            out.append(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ"))
        elif ch == "%":
            out.append(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))
        elif ch == "&":
            out.append(rng.choice("abcdefghijkmnprstuvwxyz"))
        else:
            out.append(ch)
    return "".join(out)


def wchoice(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.uniform(0, total)
    acc = 0
    for v, w in pairs:
        acc += w
        if r <= acc:
            return v
    return pairs[-1][0]


def town_name(s):
    return s.replace("_", " ")


# --------------------------------------------------------------------------------------
# Identifier generators (locale aware)
# --------------------------------------------------------------------------------------
def gen_phone(rng, loc, kind="any"):
    if loc in ("en_US", "en_CA"):
        a = rng.choice(["416", "647", "604", "778", "403", "587", "514", "438", "902", "306",
                        "780", "613", "905", "250", "204", "709", "506", "519", "705", "819"] if
                       loc == "en_CA" else ["312", "617", "503", "414", "701", "919", "206",
                                            "405", "802", "971", "210", "559", "808", "937",
                                            "251", "479", "563", "785", "915", "208"])
        e = str(rng.randint(201, 989))
        n = f"{rng.randint(0, 9999):04d}"
        f = rng.choice([f"({a}) {e}-{n}", f"{a}-{e}-{n}", f"{a}.{e}.{n}", f"+1 {a} {e} {n}",
                        f"{a} {e} {n}", f"1-{a}-{e}-{n}", f"({a}){e}-{n}", f"+1-{a}-{e}-{n}",
                        f"{a}{e}{n}"])
        if kind == "ext" or (kind == "any" and rng.random() < 0.12):
            f += rng.choice([f" x{rng.randint(100, 9999)}", f" ext. {rng.randint(100, 9999)}",
                             f" ext {rng.randint(10, 999)}", f" x.{rng.randint(100, 999)}"])
        return f
    if loc == "en_GB":
        if kind == "mob" or (kind == "any" and rng.random() < 0.5):
            m = f"07{rng.randint(300, 999)}"
            s = f"{rng.randint(0, 999999):06d}"
            return rng.choice([f"{m} {s}", f"{m}{s}", f"+44 {m[1:]} {s}", f"{m} {s[:3]} {s[3:]}",
                               f"+44 (0){m[1:]} {s}", f"+447{m[2:]}{s}"])
        area = rng.choice(["0161", "0113", "0114", "0121", "0117", "0191", "01632", "01274",
                           "01535", "01482", "01752", "01392", "01223", "01865", "028", "029",
                           "0131", "0141", "020"])
        if area in ("020", "028", "029"):
            s = f"{rng.randint(2000, 8999)} {rng.randint(0, 9999):04d}"
        elif len(area) == 4:
            s = f"{rng.randint(200, 999)} {rng.randint(0, 9999):04d}"
        else:
            s = f"{rng.randint(100000, 999999)}"
            s = rng.choice([s, s[:3] + " " + s[3:]])
        return rng.choice([f"({area}) {s}", f"{area} {s}", f"+44 (0){area[1:]} {s}",
                           f"+44 {area[1:]} {s}"])
    if loc == "en_AU":
        if kind == "mob" or (kind == "any" and rng.random() < 0.5):
            d = f"04{rng.randint(0, 99):02d}{rng.randint(0, 999999):06d}"
            return rng.choice([f"{d[:4]} {d[4:7]} {d[7:]}", d, f"+61 {d[1:4]} {d[4:7]} {d[7:]}",
                               f"+61{d[1:]}", f"{d[:4]}-{d[4:7]}-{d[7:]}"])
        a = rng.choice(["02", "03", "07", "08"])
        s = f"{rng.randint(3000, 9999)} {rng.randint(0, 9999):04d}"
        return rng.choice([f"({a}) {s}", f"{a} {s}", f"+61 {a[1]} {s}", f"{a}-{s.replace(' ', '-')}",
                           f"1300 {rng.randint(100, 999)} {rng.randint(100, 999)}"])
    # en_IN
    if kind == "mob" or (kind == "any" and rng.random() < 0.6):
        d = f"{rng.choice('6789')}{rng.randint(0, 999999999):09d}"
        return rng.choice([f"+91 {d[:5]} {d[5:]}", f"{d[:5]} {d[5:]}", d, f"+91-{d[:5]}-{d[5:]}",
                           f"+91{d}", f"0{d}", f"{d[:3]}-{d[3:6]}-{d[6:]}"])
    std = rng.choice(["022", "080", "044", "033", "011", "0484", "020", "0471", "040", "0120"])
    n = f"{rng.randint(2000000, 9999999)}" if len(std) == 4 else f"{rng.randint(20000000, 99999999)}"
    return rng.choice([f"{std}-{n[:4]} {n[4:]}", f"{std}-{n}", f"({std}) {n}", f"+91 {std[1:]} {n}",
                       f"{std} {n}"])


def gen_zip(rng, loc):
    if loc == "en_US":
        z = f"{rng.randint(1001, 99950):05d}"
        return z + (f"-{rng.randint(0, 9999):04d}" if rng.random() < 0.25 else "")
    if loc == "en_GB":
        a = rng.choice(UK_PC_AREAS)
        d = str(rng.randint(1, 29 if len(a) == 2 else 9))
        if rng.random() < 0.1 and len(a) <= 2:
            d += rng.choice("ABEHMNPRVWXY")
        tail = f"{rng.randint(0, 9)}{pat(rng, '@@').replace('I', 'A')}"
        return rng.choice([f"{a}{d} {tail}"] * 5 + [f"{a}{d}{tail}"])
    if loc == "en_CA":
        L1 = "ABCEGHJKLMNPRSTVXY"
        L = "ABCEGHJKLMNPRSTVWXYZ"
        s = f"{rng.choice(L1)}{rng.randint(0, 9)}{rng.choice(L)} {rng.randint(0, 9)}{rng.choice(L)}{rng.randint(0, 9)}"
        return s if rng.random() < 0.75 else s.replace(" ", "")
    if loc == "en_AU":
        return str(rng.choice([rng.randint(2000, 2999), rng.randint(3000, 3999),
                               rng.randint(4000, 4999), rng.randint(5000, 5799),
                               rng.randint(6000, 6799), rng.randint(7000, 7799),
                               rng.randint(800, 899)])).zfill(4)
    z = f"{rng.randint(1, 8)}{rng.randint(10000, 99999)}"
    return z if rng.random() < 0.85 else z[:3] + " " + z[3:]


def gen_town(rng, loc, fk=None):
    if loc == "en_US":
        if fk is not None and rng.random() < 0.15:
            return fk.city()
        return town_name(rng.choice(US_TOWNS))
    if loc == "en_GB":
        return town_name(rng.choice(UK_TOWNS))
    if loc == "en_CA":
        return town_name(rng.choice(CA_TOWNS))
    if loc == "en_AU":
        return town_name(rng.choice(AU_TOWNS))
    return town_name(rng.choice(IN_TOWNS))


def gen_state(rng, loc):
    return rng.choice({"en_US": US_STATES, "en_GB": UK_NATIONS, "en_CA": CA_PROV,
                       "en_AU": AU_STATES, "en_IN": IN_STATES}[loc])


def gen_street(rng, loc, unit_p=0.35):
    w = rng.choice(STREET_WORDS)
    if rng.random() < 0.12:
        w = w + " " + rng.choice(["Hill", "Park", "Green", "Valley", "Creek", "View", "Field"])
    no = str(rng.choice([rng.randint(1, 99), rng.randint(1, 999), rng.randint(100, 9999)]))
    unit = rng.random() < unit_p
    if loc == "en_US":
        d = rng.choice(["", "", "", "N ", "S. ", "W ", "E. ", "North ", "West "])
        base = f"{no} {d}{w} {rng.choice(US_ST_TYPES)}"
        if unit:
            u = rng.choice([f"Apt {rng.randint(1, 40)}", f"Apt. {rng.randint(1, 9)}{rng.choice('ABCD')}",
                            f"#{rng.randint(101, 1240)}", f"Unit {rng.randint(1, 30)}",
                            f"Suite {rng.randint(100, 900)}", f"Ste {rng.randint(100, 500)}",
                            f"Apt {rng.randint(1, 12)}"])
            return rng.choice([f"{base} {u}", f"{base}, {u}", f"{base} {u}"])
        return base
    if loc == "en_GB":
        base = f"{no if int(no) < 400 else rng.randint(1, 180)} {w} {rng.choice(UK_ST_TYPES)}"
        if rng.random() < 0.1:
            base = f"{rng.randint(1, 200)} High Street"
        if unit:
            u = rng.choice([f"Flat {rng.randint(1, 30)}", f"Flat {rng.randint(1, 9)}{rng.choice('abc')}",
                            f"Flat {rng.choice(['A', 'B', 'C'])}", f"Apartment {rng.randint(1, 60)}"])
            return rng.choice([f"{u}, {base}", f"{u} {base}"])
        if rng.random() < 0.1:
            return f"{rng.choice(['Rose', 'Ivy', 'Holly', 'Laurel', 'Fern'])} Cottage, {base}"
        return base
    if loc == "en_AU":
        n = rng.randint(1, 180)
        base = f"{n} {w} {rng.choice(AU_ST_TYPES)}"
        if unit:
            u = rng.randint(1, 24)
            return rng.choice([f"{u}/{base}", f"Unit {u}, {base}", f"Unit {u} {base}",
                               f"Apt {u}/{base}"])
        return base
    if loc == "en_CA":
        d = rng.choice(["", "", "", " W", " East", " N", " West", " S"])
        base = f"{no} {w} {rng.choice(CA_ST_TYPES)}{d}"
        if rng.random() < 0.08:
            base = f"{rng.randint(10, 999)} rue {rng.choice(['Sainte-Catherine', 'Principale', 'des Érables', 'Champlain', 'Saint-Jean'])}"
        if unit:
            u = rng.randint(101, 2405)
            return rng.choice([f"{u}-{base}", f"Unit {u}, {base}", f"Apt {u}, {base}",
                               f"{base}, Suite {rng.randint(100, 600)}"])
        return base
    # India
    road = rng.choice(IN_ROADS)
    return rng.choice([
        f"H.No. {rng.randint(1, 400)}, {road}",
        f"Flat {rng.randint(101, 1204)}, {rng.choice(IN_BUILDINGS)}, {road}",
        f"{rng.randint(1, 99)}/{rng.randint(1, 30)} {road}",
        f"Door No. {rng.randint(1, 20)}-{rng.randint(1, 9)}-{rng.randint(10, 400)}, {road}",
        f"Plot No. {rng.randint(1, 300)}, Sector {rng.randint(1, 60)}",
        f"#{rng.randint(1, 999)}, {rng.randint(1, 20)}th Main, {rng.randint(1, 12)}th Cross",
        f"{rng.randint(1, 300)}, {road}",
        f"Flat No. {rng.randint(1, 20)}{rng.choice('ABC')}-{rng.randint(101, 904)}, {rng.choice(IN_BUILDINGS)}",
    ])


def nhs_number(rng):
    while True:
        d = [rng.randint(0, 9) for _ in range(9)]
        d[0] = rng.randint(4, 9)
        s = sum(x * w for x, w in zip(d, range(10, 1, -1)))
        c = 11 - s % 11
        if c == 11:
            c = 0
        if c == 10:
            continue
        return "".join(map(str, d)) + str(c)


def gen_nhs(rng):
    n = nhs_number(rng)
    return rng.choice([f"{n[:3]} {n[3:6]} {n[6:]}"] * 3 + [n, f"{n[:3]}-{n[3:6]}-{n[6:]}"])


def gen_mrn(rng, loc):
    if loc == "en_GB" and rng.random() < 0.45:
        return gen_nhs(rng)
    p = {
        "en_US": ["########", "MR-######", "#### ####", "M#######", "CHK#######", "####-####",
                  "E#########", "00######", "###-##-###", "A########"],
        "en_GB": ["RXH#######", "@######", "H#######", "K### ####", "RT@#######", "J########"],
        "en_CA": ["########", "CR-#######", "#### ####", "H#########", "MR######", "QE-######"],
        "en_AU": ["#######", "UR#######", "0## ## ##", "########", "##-###-###", "RBH#######"],
        "en_IN": ["UHID########", "UHID-##-######", "IP/20##/######", "OP-##-######",
                  "CR No. 20#########", "MRD-#####", "#### ####", "AIMS########"],
    }[loc]
    v = pat(rng, rng.choice(p))
    return v.replace("CR No. ", "")


def gen_ssn(rng, loc, form="full"):
    if loc == "en_US":
        a = rng.randint(100, 665)
        s = f"{a:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
        if form == "last4":
            return s[-4:]
        return rng.choice([s] * 4 + [s.replace("-", " "), s.replace("-", "")])
    if loc == "en_GB":
        p = rng.choice(["AB", "JK", "NP", "TZ", "WL", "KC", "PR", "YH", "SM", "HT"])
        d = f"{rng.randint(0, 999999):06d}"
        c = rng.choice("ABCD")
        return rng.choice([f"{p} {d[:2]} {d[2:4]} {d[4:]} {c}", f"{p}{d}{c}", f"{p} {d} {c}"])
    if loc == "en_CA":
        while True:
            b = [str(rng.randint(1, 7))] + [str(rng.randint(0, 9)) for _ in range(7)]
            s = "".join(b) + luhn_check_digit("".join(b))
            break
        return rng.choice([f"{s[:3]} {s[3:6]} {s[6:]}", f"{s[:3]}-{s[3:6]}-{s[6:]}", s])
    if loc == "en_AU":
        w = [1, 4, 3, 7, 5, 8, 6, 9, 10]
        while True:
            d = [rng.randint(0, 9) for _ in range(9)]
            if sum(a * b for a, b in zip(d, w)) % 11 == 0:
                s = "".join(map(str, d))
                return rng.choice([f"{s[:3]} {s[3:6]} {s[6:]}", s])
    d = f"{rng.randint(2, 9)}{rng.randint(0, 99999999999):011d}"
    return rng.choice([f"{d[:4]} {d[4:8]} {d[8:]}"] * 4 + [d, f"{d[:4]}-{d[4:8]}-{d[8:]}"])


def gen_healthplan(rng, loc):
    if loc == "en_US":
        return rng.choice([
            pat(rng, "@@@#########"), pat(rng, "W#########"), pat(rng, "#@@#-@%#-@@##"),
            pat(rng, "MC########"), pat(rng, "###########A"), pat(rng, "YH@########"),
            pat(rng, "ZGP#######-01"), pat(rng, "#@@#@%#@@##")])
    if loc == "en_GB":
        return rng.choice([pat(rng, "#########"), pat(rng, "BU########"), pat(rng, "AXA-#######"),
                           pat(rng, "VH########")])
    if loc == "en_CA":
        return rng.choice([pat(rng, "####-###-###-@@"), pat(rng, "9### ### ###"),
                           pat(rng, "#####-####"), pat(rng, "@@@@ #### ####"),
                           pat(rng, "##########"), pat(rng, "#### ### ###")])
    if loc == "en_AU":
        w = [1, 3, 7, 9, 1, 3, 7, 9]
        d = [rng.randint(2, 6)] + [rng.randint(0, 9) for _ in range(7)]
        c = sum(a * b for a, b in zip(d, w)) % 10
        s = "".join(map(str, d)) + str(c) + str(rng.randint(1, 5))
        irn = str(rng.randint(1, 5))
        return rng.choice([f"{s[:4]} {s[4:9]} {s[9]}", f"{s[:4]} {s[4:9]} {s[9]}-{irn}", s,
                           pat(rng, "NX######"), pat(rng, "########")])
    return rng.choice([pat(rng, "PMJAY-@@-#########"), pat(rng, "##########"),
                       pat(rng, "##-####-####-####"), pat(rng, "P/######/##/20##/######"),
                       pat(rng, "@#@#@#@#@"), pat(rng, "ESIC ##########")]).replace("ESIC ", "")


def gen_group(rng):
    return rng.choice([pat(rng, "GRP-#####"), pat(rng, "######"), pat(rng, "G#######"),
                       pat(rng, "####-@@"), pat(rng, "##@###")])


def gen_account(rng, loc):
    return rng.choice([pat(rng, "##########"), pat(rng, "ACCT-########"), pat(rng, "#### #### ####"),
                       pat(rng, "HAR#######"), pat(rng, "A########"), pat(rng, "####-#####"),
                       pat(rng, "PA-#######"), pat(rng, "BIL/20##/#####")])


def gen_dea(rng, surname):
    first = rng.choice("ABFGM")
    second = surname[0].upper() if surname and surname[0].isalpha() and surname[0].isascii() else "X"
    d = [rng.randint(0, 9) for _ in range(6)]
    c = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return f"{first}{second}{''.join(map(str, d))}{c}"


def gen_npi(rng):
    b = str(rng.choice([1, 2])) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    c = luhn_check_digit("80840" + b)
    return b + c


def gen_license(rng, loc, kind="clin"):
    if kind == "dl":
        return {"en_US": lambda: rng.choice([pat(rng, "@###-####-####"), pat(rng, "@#######"),
                                              pat(rng, "#########"), pat(rng, "@##-###-##-###-#")]),
                "en_GB": lambda: pat(rng, "@@@@@######@@#@@"),
                "en_CA": lambda: rng.choice([pat(rng, "@####-#####-#####"), pat(rng, "#######")]),
                "en_AU": lambda: rng.choice([pat(rng, "########"), pat(rng, "#########")]),
                "en_IN": lambda: rng.choice([pat(rng, "@@## 20##00#####"), pat(rng, "@@-##-20##-#######")]),
                }[loc]()
    return {"en_US": lambda: rng.choice([pat(rng, "ME.#######"), pat(rng, "@#####"),
                                         pat(rng, "MD-####-##"), pat(rng, "##.######"),
                                         pat(rng, "RN#######")]),
            "en_GB": lambda: rng.choice([pat(rng, "#######"), pat(rng, "##@####@")]),
            "en_CA": lambda: rng.choice([pat(rng, "#####"), pat(rng, "######"), pat(rng, "#####-####")]),
            "en_AU": lambda: rng.choice(["MED000" + pat(rng, "#######"), "NMW000" + pat(rng, "#######"),
                                         "PHA000" + pat(rng, "#######")]),
            "en_IN": lambda: rng.choice([pat(rng, "#####"), pat(rng, "MCI-##-#####"),
                                         pat(rng, "20##/0#/####"), pat(rng, "@@@/####/20##")]),
            }[loc]()


def gen_plate(rng, loc):
    return {"en_US": lambda: rng.choice([pat(rng, "#@@@###"), pat(rng, "@@@-####"), pat(rng, "@@@ ####"),
                                         pat(rng, "###-@@@"), pat(rng, "@@# ####")]),
            "en_GB": lambda: rng.choice([pat(rng, "@@## @@@"), pat(rng, "@@##@@@")]),
            "en_CA": lambda: rng.choice([pat(rng, "@@@@ ###"), pat(rng, "@@@ ###"), pat(rng, "###-@@@")]),
            "en_AU": lambda: rng.choice([pat(rng, "#@@ #@@"), pat(rng, "@@@-###"), pat(rng, "@@-##-@@"),
                                         pat(rng, "###·@@@").replace("·", "")]),
            "en_IN": lambda: rng.choice([pat(rng, "@@ ## @@ ####"), pat(rng, "@@-##-@@-####"),
                                         pat(rng, "@@##@@####")]),
            }[loc]()


def gen_vin(rng):
    al = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return rng.choice(["1", "2", "3", "J", "W", "K", "S", "M"]) + "".join(rng.choice(al) for _ in range(16))


def gen_device(rng):
    return rng.choice([pat(rng, "PJN######S"), pat(rng, "RLF######H"), pat(rng, "########"),
                       pat(rng, "BXT######R"), pat(rng, "SN-@@#######"), pat(rng, "@@@###@###"),
                       pat(rng, "NW#####-##"), pat(rng, "P####-#######")])


def gen_udi(rng):
    gtin = "0" + "".join(str(rng.randint(0, 9)) for _ in range(13))
    y = rng.randint(25, 31)
    return rng.choice([
        f"(01){gtin}(17){y}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}(10){pat(rng, '@####')}(21){pat(rng, '%%%%%%')}",
        f"(01){gtin}(11){rng.randint(19, 24)}{rng.randint(1, 12):02d}01(21){pat(rng, '########')}",
        f"01{gtin}17{y}0630 10{pat(rng, '@@###')}",
        f"+H{pat(rng, '###')}{pat(rng, '%%%%%%')}1/$$3{y}{rng.randint(1, 12):02d}{pat(rng, '@@###')}{pat(rng, '@')}"])


def gen_ip(rng, v6=False):
    if v6 or rng.random() < 0.12:
        return rng.choice([f"2001:db8:{rng.randint(0, 65535):x}::{rng.randint(1, 65535):x}",
                           f"2001:0db8:{rng.randint(0, 65535):04x}:{rng.randint(0, 65535):04x}:{rng.randint(0, 65535):04x}:{rng.randint(0, 65535):04x}:{rng.randint(0, 65535):04x}:{rng.randint(0, 65535):04x}",
                           f"fe80::{rng.randint(0, 65535):x}:{rng.randint(0, 65535):x}:{rng.randint(0, 65535):x}"])
    return rng.choice([f"{rng.choice([10, 172, 192, 203, 198, 81, 49, 115, 24, 67])}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"])


def gen_bio(rng):
    return rng.choice([pat(rng, "BT-#####"), pat(rng, "FP-TPL-#######"), pat(rng, "RET-####-@@"),
                       pat(rng, "VP-#####"), pat(rng, "BIO@######"), pat(rng, "FPR-##-####-@"),
                       pat(rng, "IRIS-########")])


ID_KINDS = {
    "inc": ["20##-######", "IR-20##-#####", "INC#######", "######", "DATIX ######", "RL-#####",
            "SIR/##/####", "Q-20##-####"],
    "run": ["##-######", "20##-#####", "PCR-########", "R######", "##########", "ePCR ########"],
    "acc": ["ACC##-#######", "RAD-#######", "A#########", "##-@@-######", "CT##-######", "ACN ########"],
    "spec": ["S##-#####", "SP-########", "##@######", "H##-####", "B##-######", "LAB-######"],
    "claim": ["CLM-#######", "############", "C##########", "CL/20##/######"],
    "order": ["ORD #######", "########", "O-#######", "RQ########", "ORD-20##-#####"],
    "enc": ["ENC-########", "V#########", "#########", "VN-#######", "EPI#######"],
    "rx": ["Rx#######", "#######", "RX-#######", "######-##", "NP-#######"],
    "callref": ["CR-######", "CAD##-######", "#########", "CALL-########", "111-######"],
    "rep": ["RPT-20##-####", "DR-######", "####-@@-###", "RR#######"],
    "ref": ["UBRN ####-####-####", "REF-#######", "ERS-########", "####-####-####"],
}


def gen_idval(rng, k):
    v = pat(rng, rng.choice(ID_KINDS[k]))
    for pre in ("DATIX ", "ePCR ", "ACN ", "UBRN "):
        v = v.replace(pre, "")
    return v


SAINTS = ["Mary", "Joseph", "Luke", "Vincent", "Anne", "Michael", "Jude", "Francis", "Elizabeth",
          "Catherine", "Andrew", "Patrick", "Bartholomew", "Thomas", "Clare"]
FAC_ADJ = ["Riverside", "Lakeview", "Cedar Ridge", "Valley", "Summit", "Oakwood", "Pinecrest",
           "Harbour View", "Prairie", "Northside", "Westfield", "Brookside", "Meadowbrook",
           "Sunrise", "Evergreen", "Hillcrest", "Bayside", "Stonebridge", "Willowdene",
           "Parkside", "Greenacres", "Fernlea", "Highgate", "Ashgrove", "Kingsway"]
IN_FAC_WORDS = ["Sanjeevani", "Arogya", "Dhanvantari", "Sushrusha", "Jeevan Jyoti", "Sparsh",
                "Amrita", "Navjeevan", "Shanti", "Lifeline", "Kaveri", "Sahyadri", "Suraksha",
                "Prakash", "Chirayu", "Sunshine"]


def gen_facility(rng, loc, town, kind="hosp", surname="Moore"):
    adj = rng.choice(FAC_ADJ)
    saint = rng.choice(SAINTS)
    if loc == "en_IN":
        w = rng.choice(IN_FAC_WORDS)
        opts = {"hosp": [f"{w} Multispeciality Hospital", f"Sri {rng.choice(['Venkateshwara', 'Sai', 'Ramachandra', 'Lakshmi'])} Hospital",
                         f"{town} Civil Hospital", f"Government District Hospital {town}", f"{w} Hospital & Research Centre",
                         f"{w} Nursing Home"],
                "clinic": [f"{w} Clinic", f"Dr. {surname}'s Clinic", f"{w} Polyclinic", f"{w} Family Clinic",
                           f"Urban PHC {town}"],
                "pharm": [f"{w} Medicals", f"{w} Medical Stores", f"{w} Pharmacy", f"New {w} Chemists"],
                "lab": [f"{w} Diagnostics", f"{w} Pathology Lab", f"{w} Imaging Centre"],
                "care": [f"{w} Old Age Home", f"{w} Senior Care", f"{w} Palliative Care Centre"]}
    elif loc == "en_GB":
        opts = {"hosp": [f"{town} Royal Infirmary", f"{town} General Hospital", f"{town} District General Hospital",
                         f"St {saint}'s Hospital", f"Royal {town} Hospital", f"{adj} Community Hospital"],
                "clinic": [f"{adj} Medical Centre", f"{adj} Surgery", f"{rng.choice(STREET_WORDS)} Road Surgery",
                           f"{adj} Health Centre", f"The {adj} Practice"],
                "pharm": [f"{surname}'s Pharmacy", f"{adj} Pharmacy", f"{adj} Chemist"],
                "lab": [f"{town} Pathology Services", f"{adj} Diagnostics"],
                "care": [f"{adj} Care Home", f"{adj} Lodge Nursing Home", f"{adj} House Residential Home"]}
    elif loc == "en_AU":
        opts = {"hosp": [f"{town} Base Hospital", f"{town} Hospital", f"{town} Health Service",
                         f"St {saint}'s Private Hospital", f"{adj} Private Hospital"],
                "clinic": [f"{adj} Medical Centre", f"{adj} Family Practice", f"{adj} GP Clinic",
                           f"{town} Aboriginal Medical Service"],
                "pharm": [f"{surname}'s Chemist", f"{adj} Pharmacy", f"{adj} Discount Chemist"],
                "lab": [f"{adj} Pathology", f"{adj} Radiology"],
                "care": [f"{adj} Aged Care", f"{adj} Gardens Aged Care", f"{adj} Lodge"]}
    elif loc == "en_CA":
        opts = {"hosp": [f"{town} Regional Health Centre", f"{town} General Hospital", f"St. {saint}'s Hospital",
                         f"Hôpital {rng.choice(['Sainte-Croix', 'du Sacré-Cœur', 'Saint-Luc'])}",
                         f"{adj} Memorial Hospital"],
                "clinic": [f"{adj} Medical Clinic", f"{adj} Family Health Team", f"{adj} Walk-In Clinic",
                           f"CLSC {adj}"],
                "pharm": [f"{adj} Pharmacy", f"{surname} Pharmacy", f"{adj} Apothecary"],
                "lab": [f"{adj} Medical Laboratories", f"{adj} Imaging"],
                "care": [f"{adj} Long-Term Care", f"{adj} Manor", f"{adj} Lodge Retirement Residence"]}
    else:
        opts = {"hosp": [f"St. {saint}'s Regional Medical Center", f"{town} General Hospital",
                         f"{town} Memorial Hospital", f"{adj} Medical Center", f"{adj} Community Hospital"],
                "clinic": [f"{adj} Family Practice", f"{adj} Internal Medicine Associates",
                           f"{surname} Pediatrics", f"{town} Urgent Care", f"{adj} Health Clinic"],
                "pharm": [f"{adj} Pharmacy", f"{surname} Drug", f"{adj} Apothecary"],
                "lab": [f"{adj} Diagnostic Laboratory", f"{adj} Imaging Center"],
                "care": [f"{adj} Nursing & Rehabilitation Center", f"{adj} Senior Living",
                         f"{adj} Manor Skilled Nursing"]}
    return rng.choice(opts[kind])


REL_WORDS = {"F": ["wife", "daughter", "mother", "sister", "niece", "granddaughter", "partner",
                   "daughter-in-law", "aunt", "fiancée", "stepdaughter", "friend", "neighbour"],
             "M": ["husband", "son", "father", "brother", "nephew", "grandson", "partner",
                   "son-in-law", "uncle", "fiancé", "stepson", "friend", "neighbour"]}
CLIN_TITLES = {"en_US": ["MD", "DO", "NP", "PA-C", "RN", "MD, FACP"], "en_GB": ["MBChB", "MRCP", "FRCP", "RGN", "MBBS"],
               "en_CA": ["MD", "MD, FRCPC", "RN", "NP", "MDCM"], "en_AU": ["MBBS", "FRACP", "FRACGP", "RN"],
               "en_IN": ["MBBS", "MD", "MS", "DNB", "MBBS, DGO"]}
EMAIL_DOM = {"en_US": ["example.com", "example.org", "example.net", "mail.example.com"],
             "en_GB": ["example.co.uk", "example.org.uk", "example.com", "nhs.example.uk"],
             "en_CA": ["example.ca", "example.com", "example.org"],
             "en_AU": ["example.com.au", "example.net.au", "example.com"],
             "en_IN": ["example.in", "example.co.in", "example.com"]}

PERSON_KEYS = {"pt", "pt2", "pt3", "pt4", "rel", "rel2", "dr", "dr2", "dr3", "rn", "rn2", "wit",
               "phm", "emt", "emt2", "int", "staff", "staff2", "sub", "gp", "caller", "agent",
               "tech", "rad", "sig", "mgr", "drv", "guard"}
DATE_KEYS = {"dob", "adm", "dis", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "today", "sigd",
             "coll", "fu", "prev", "onset", "d8", "d9", "dob2", "dob3", "dob4"}


class Cast:
    """Lazy per-document store of identifiers.  get(key) -> (string, TYPE or None)."""

    def __init__(self, rng, loc, fakers, phi=True):
        self.rng, self.loc, self.fakers, self.phi = rng, loc, fakers, phi
        self.c = {}
        self.used_names = set()
        self.today = datetime.date(rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28))
        r = rng.random()
        self.age = rng.randint(90, 104) if r < 0.33 else rng.randint(19, 89)
        self.sex = rng.choice("FM")
        self.style = rng.random()  # picks date formats etc.

    # ----- persons
    def new_person(self, sex=None, origin=None, wordlike=False):
        rng = self.rng
        sex = sex or rng.choice("FM")
        for _ in range(30):
            src = origin or wchoice(rng, ORIGINS[self.loc])
            if src in HANDNAMES:
                f_, m_, l_ = HANDNAMES[src]
                first = rng.choice(f_ if sex == "F" else m_)
                last = rng.choice(l_)
                mid = rng.choice(f_ if sex == "F" else m_)
            else:
                fk = self.fakers[src]
                first = fk.first_name_female() if sex == "F" else fk.first_name_male()
                last = fk.last_name()
                mid = fk.first_name_female() if sex == "F" else fk.first_name_male()
            if wordlike:
                first = rng.choice(WORDLIKE_FIRST_F if sex == "F" else WORDLIKE_FIRST_M)
            first, last = first.strip(), last.strip()
            if " " in first and rng.random() < 0.7:
                first = first.split()[0]
            if not first or not last or first == last or last in self.used_names or first in self.used_names:
                continue
            if len(last) < 2 or not last[0].isalpha():
                continue
            self.used_names.update([first, last])
            return {"first": first, "last": last, "mid": mid.split()[0][0], "sex": sex}
        return {"first": "Ottoline", "last": "Quarrington", "mid": "J", "sex": sex}

    def person(self, key):
        if key not in self.c:
            rng = self.rng
            if key == "pt":
                p = self.new_person(self.sex)
            elif key in ("rel", "rel2"):
                sex = rng.choice("FM")
                p = self.new_person(sex, wordlike=rng.random() < 0.08)
                if rng.random() < 0.55 and "pt" in self.c:
                    p["last"] = self.c["pt"]["last"]
                p["role"] = rng.choice(REL_WORDS[sex])
            else:
                p = self.new_person()
            self.c[key] = p
        return self.c[key]

    def pform(self, key, attr):
        p = self.person(key)
        f, l, m = p["first"], p["last"], p["mid"]
        rng = self.rng
        if attr == "" or attr == "full":
            return f"{f} {l}"
        table = {
            "first": f, "last": l, "fml": f"{f} {m}. {l}", "LF": f"{l.upper()}, {f.upper()}",
            "Lf": f"{l}, {f}", "LFM": f"{l.upper()}, {f.upper()} {m}", "init": f"{f[0]}. {l}",
            "low": f"{f} {l}".lower(), "lowfirst": f.lower(), "hl7": f"{l.upper()}^{f.upper()}^{m}",
            "hl7b": f"{l.upper()}^{f.upper()}", "FULL": f"{f} {l}".upper(), "fi": f"{f[0]}{l}",
            "LFi": f"{l}, {f[0]}.", "any": rng.choice([f"{f} {l}", f"{f} {m}. {l}", f"{l}, {f}"]),
        }
        return table[attr]

    # ----- dates
    def date(self, key):
        if key not in self.c:
            rng, t = self.rng, self.today
            if key.startswith("dob"):
                age = self.age if key == "dob" else rng.randint(1, 95)
                d = datetime.date(t.year - age - (1 if rng.random() < 0.5 else 0), rng.randint(1, 12), rng.randint(1, 28))
            elif key == "adm":
                d = t - datetime.timedelta(days=rng.randint(3, 20))
            elif key == "dis":
                d = self.date("adm") + datetime.timedelta(days=rng.randint(1, 12))
            elif key in ("today", "sigd"):
                d = t
            elif key in ("fu",):
                d = t + datetime.timedelta(days=rng.randint(7, 60))
            elif key in ("prev", "onset"):
                d = t - datetime.timedelta(days=rng.randint(30, 900))
            else:
                d = t - datetime.timedelta(days=rng.randint(-30, 120))
            self.c[key] = d
        return self.c[key]

    def dform(self, d, attr):
        us = self.loc == "en_US"
        rng = self.rng
        if attr == "":
            attr = "num" if self.style < 0.45 else ("long" if self.style < 0.7 else ("abbr" if self.style < 0.85 else "iso"))
        if attr == "num":
            return f"{d.month:02d}/{d.day:02d}/{d.year}" if us else f"{d.day:02d}/{d.month:02d}/{d.year}"
        if attr == "num1":
            return f"{d.month}/{d.day}/{d.year}" if us else f"{d.day}/{d.month}/{d.year}"
        if attr == "short":
            return f"{d.month}/{d.day}/{d.year % 100:02d}" if us else f"{d.day}/{d.month}/{d.year % 100:02d}"
        if attr == "md":
            return f"{d.month}/{d.day}" if us else f"{d.day}/{d.month}"
        if attr == "long":
            return f"{MONTHS[d.month - 1]} {d.day}, {d.year}" if us else f"{d.day} {MONTHS[d.month - 1]} {d.year}"
        if attr == "abbr":
            return f"{MON3[d.month - 1]} {d.day}, {d.year}" if us else f"{d.day} {MON3[d.month - 1]} {d.year}"
        if attr == "iso":
            return d.isoformat()
        if attr == "mon":
            return f"{d.day:02d}-{MON3[d.month - 1]}-{d.year}" if rng.random() < 0.7 else f"{d.day:02d}-{MON3[d.month - 1].upper()}-{d.year % 100:02d}"
        if attr == "ord":
            return f"{MONTHS[d.month - 1]} {ordinal(d.day)}" if us else f"{ordinal(d.day)} {MONTHS[d.month - 1]}"
        if attr == "ordy":
            return f"{MONTHS[d.month - 1]} {ordinal(d.day)}, {d.year}" if us else f"{ordinal(d.day)} {MONTHS[d.month - 1]} {d.year}"
        if attr == "dm":  # month name day without year
            return f"{MON3[d.month - 1]} {d.day}" if us else f"{d.day} {MON3[d.month - 1]}"
        if attr == "hl7":
            return d.strftime("%Y%m%d")
        if attr == "ts":
            return d.strftime("%Y%m%d") + f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}"
        if attr == "dot":
            return f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}" if rng.random() < 0.6 else f"{d.day:02d}.{d.month:02d}.{d.year}"
        if attr == "dash":
            return f"{d.month:02d}-{d.day:02d}-{d.year}" if us else f"{d.day:02d}-{d.month:02d}-{d.year}"
        if attr == "any":
            return self.dform(d, rng.choice(["num", "num1", "short", "long", "abbr", "iso", "mon", "dot"]))
        raise KeyError(attr)

    # ----- generic lazy values
    def val(self, key, fn):
        if key not in self.c:
            self.c[key] = fn()
        return self.c[key]

    def username(self, key):
        def mk():
            p = self.person("pt")
            f, l = p["first"].lower(), p["last"].lower()
            f = re.sub(r"[^a-z]", "", f.encode("ascii", "ignore").decode()) or "pt"
            l = re.sub(r"[^a-z]", "", l.encode("ascii", "ignore").decode()) or "user"
            r = self.rng
            return r.choice([f"{f[0]}{l}{r.randint(1, 99)}", f"{f}.{l[:1]}{r.randint(10, 99)}",
                             f"{f}_{l}", f"{l}{f[0]}{r.randint(1, 9)}", f"{f}{r.randint(1950, 2005)}",
                             f"{f[:3]}{l[:3]}{r.randint(1, 999)}", f"{f}.{l}"])
        return self.val(key, mk)

    def email(self, key, who="pt"):
        def mk():
            p = self.person(who)
            f = re.sub(r"[^a-z]", "", p["first"].lower().encode("ascii", "ignore").decode()) or "pt"
            l = re.sub(r"[^a-z]", "", p["last"].lower().encode("ascii", "ignore").decode()) or "user"
            r = self.rng
            user = r.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}{r.randint(1, 99)}", f"{l}.{f[0]}",
                             f"{f}_{l}{r.randint(1, 9)}", f"{f}{l[0]}"])
            return f"{user}@{r.choice(EMAIL_DOM[self.loc])}"
        return self.val(key, mk)

    def get(self, key):
        base, _, attr = key.partition(".")
        rng, loc = self.rng, self.loc
        if base in PERSON_KEYS:
            if attr == "role":
                return self.person(base)["role"], None
            if attr == "title":
                return rng.choice(CLIN_TITLES[loc]), None
            return self.pform(base, attr), "NAME"
        if base in DATE_KEYS:
            d = self.date(base)
            if attr == "wd":
                return rng.choice([WD3, WDFULL])[d.weekday()], None
            if attr == "year":
                return str(d.year), None
            return self.dform(d, attr), "DATE"
        if base in ("he", "He", "his", "His", "him", "hers"):
            f = self.sex == "F"
            return {"he": "she" if f else "he", "He": "She" if f else "He", "his": "her" if f else "his",
                    "His": "Her" if f else "His", "him": "her" if f else "him", "hers": "hers" if f else "his"}[base], None
        if base in ("hon", "Hon"):
            v = rng.choice(["Mrs", "Ms", "Miss", "Mrs."] if self.sex == "F" else ["Mr", "Mr."])
            return (v.upper() if base == "Hon" else v), None
        if base in LABELS:
            return rng.choice(LABELS[base][loc]), None
        if base == "sexw":
            return (rng.choice(["woman", "female", "lady"]) if self.sex == "F" else rng.choice(["man", "male", "gentleman"])), None
        if base == "sex1":
            return self.sex, None
        if base == "age":
            a = self.age
            t = "AGE" if a > 89 else None
            if attr == "w":
                return num_words(a, rng), t
            if attr == "W":
                return num_words(a, rng).capitalize(), t
            return str(a), t
        if base.startswith("addr"):
            return self.val(key, lambda: gen_street(rng, loc)), "ADDRESS"
        if base.startswith("town"):
            return self.val(key, lambda: gen_town(rng, loc, self.fakers.get("en_US"))), "LOCATION"
        if base.startswith("zip"):
            return self.val(key, lambda: gen_zip(rng, loc)), "ZIP"
        if base.startswith("state"):
            return self.val(key, lambda: gen_state(rng, loc)), None
        if base == "country":
            return self.val(key, lambda: rng.choice(COUNTRIES)), None
        if base.startswith("county"):
            return self.val(key, lambda: rng.choice({"en_US": US_COUNTIES, "en_GB": UK_COUNTIES, "en_CA": ["Simcoe County", "Lanark County", "Wellington County", "Huron County", "Kings County"],
                                                     "en_AU": ["Campaspe Shire", "Wyndham", "Shoalhaven", "Hunter Valley", "Barossa Valley", "Latrobe Valley"], "en_IN": IN_DISTRICTS}[loc])), "LOCATION"
        if base.startswith("hood"):
            return self.val(key, lambda: rng.choice({"en_US": US_HOODS, "en_GB": ["Moss Side", "Chapeltown", "Sparkbrook", "Toxteth", "Byker", "Govan"],
                                                     "en_CA": ["Scarborough", "Jane and Finch", "Hochelaga", "Kitsilano", "St. Boniface"],
                                                     "en_AU": ["Redfern", "Logan Central", "Collingwood", "Northbridge", "Mount Druitt"],
                                                     "en_IN": IN_LOCALITIES}[loc])), "LOCATION"
        if base in ("ph", "ph2", "ph3", "home", "work", "cell", "nok_ph", "fac_ph", "fac_fax"):
            return self.val(key, lambda: gen_phone(rng, loc, "any")), "PHONE"
        if base in ("mob", "mob2"):
            return self.val(key, lambda: gen_phone(rng, loc, "mob")), "PHONE"
        if base in ("fax", "fax2"):
            return self.val(key, lambda: gen_phone(rng, loc, "land")), "PHONE"
        if base == "fac_phx":
            return self.val(key, lambda: gen_phone(rng, loc, "land") + rng.choice([" ext ", " ext. ", " x", " extn "]) + str(rng.randint(1000, 9999))), "PHONE"
        if base in ("phx",):
            return self.val(key, lambda: gen_phone(rng, loc, "land") + rng.choice([f" ext {rng.randint(100, 9999)}", f" x{rng.randint(100, 9999)}", f" ext. {rng.randint(10, 999)}"])), "PHONE"
        if base in ("bleep", "ext", "ext2", "pager"):
            return self.val(key, lambda: str(rng.randint(1000, 9999)) if base != "pager" or rng.random() < 0.5 else gen_phone(rng, loc, "any")), "PHONE"
        if base.startswith("email"):
            who = {"email": "pt", "email2": "dr", "email3": "rel", "email4": "staff"}.get(base, "pt")
            return self.email(base, who), "EMAIL"
        if base in ("nhs",):
            return self.val(key, lambda: gen_nhs(rng)), "MRN"
        if base.startswith("mrn"):
            return self.val(key, lambda: gen_mrn(rng, loc)), "MRN"
        if base == "ssn":
            return self.val(key, lambda: gen_ssn(rng, loc)), "SSN"
        if base == "ssn4":
            return self.val(key, lambda: gen_ssn(rng, "en_US", "last4")), "SSN"
        if base.startswith("hp"):
            return self.val(key, lambda: gen_healthplan(rng, loc)), "HEALTH_PLAN"
        if base.startswith("grp"):
            return self.val(key, lambda: gen_group(rng)), "HEALTH_PLAN"
        if base.startswith("acct"):
            return self.val(key, lambda: gen_account(rng, loc)), "ACCOUNT"
        if base == "dea":
            return self.val(key, lambda: gen_dea(rng, self.person("dr")["last"])), "LICENSE"
        if base == "dea2":
            return self.val(key, lambda: gen_dea(rng, self.person("dr2")["last"])), "LICENSE"
        if base.startswith("npi"):
            return self.val(key, lambda: gen_npi(rng)), "LICENSE"
        if base.startswith("lic"):
            return self.val(key, lambda: gen_license(rng, loc)), "LICENSE"
        if base == "dl":
            return self.val(key, lambda: gen_license(rng, loc, "dl")), "LICENSE"
        if base.startswith("plate"):
            return self.val(key, lambda: gen_plate(rng, loc)), "VEHICLE"
        if base == "vin":
            return self.val(key, lambda: gen_vin(rng)), "VEHICLE"
        if base.startswith("dev"):
            return self.val(key, lambda: gen_device(rng)), "DEVICE"
        if base == "udi":
            return self.val(key, lambda: gen_udi(rng)), "DEVICE"
        if base.startswith("ip6"):
            return self.val(key, lambda: gen_ip(rng, True)), "IP"
        if base.startswith("ip"):
            return self.val(key, lambda: gen_ip(rng)), "IP"
        if base.startswith("bio"):
            return self.val(key, lambda: gen_bio(rng)), "BIOMETRIC"
        if base.startswith("user"):
            return self.username(base), "ID"
        if base.startswith("url"):
            return self.val(key, lambda: self.mkurl(base)), "URL"
        if base.startswith("fac"):
            kind = {"fac": "hosp", "fac2": "hosp", "facc": "clinic", "facc2": "clinic", "facp": "pharm",
                    "facl": "lab", "fach": "care"}.get(base, "hosp")
            def mk():
                for _ in range(10):
                    n = gen_facility(rng, loc, gen_town(rng, loc), kind, self.new_person()["last"])
                    if n not in self.c.values():
                        return n
                return n
            return self.val(base, mk), "FACILITY"
        for k in ID_KINDS:
            if base.startswith(k) and base[len(k):].isdigit() or base == k:
                return self.val(key, lambda: gen_idval(rng, k)), "ID"
        raise KeyError(key)

    def mkurl(self, base):
        rng = self.rng
        tld = {"en_US": ".example.com", "en_GB": ".example.co.uk", "en_CA": ".example.ca",
               "en_AU": ".example.com.au", "en_IN": ".example.in"}[self.loc]
        site = rng.choice(["mychart", "portal", "patients", "myhealth", "connect", "followmyhealth", "care"])
        if base == "url2":
            nm = rng.choice(FAC_ADJ).lower().replace(" ", "")
            return rng.choice([f"www.{nm}{rng.choice(['clinic', 'practice', 'medical', 'health'])}{tld}",
                               f"https://{nm}health{tld}/appointments", f"{nm}gp{tld}"])
        if rng.random() < 0.25:
            return f"https://{site}{tld}/login?user={self.username('user')}"
        return rng.choice([f"https://{site}{tld}/login", f"https://{site}{tld}/msg/{rng.randint(100000, 999999)}",
                           f"https://{site}{tld}/patient?id={rng.randint(1000000, 9999999)}",
                           f"http://{site}{tld}", f"{site}{tld}/results"])


# --------------------------------------------------------------------------------------
# Template engine, case and noise
# --------------------------------------------------------------------------------------
CHOICE_RE = re.compile(r"\[([^\[\]]*)\]")
KEY_RE = re.compile(r"\{([^{}]+)\}")
OCR_MAP = {"0": "O", "O": "0", "o": "0", "1": "l", "l": "1", "I": "l", "5": "S", "S": "5",
           "8": "B", "B": "8", "m": "rn", "e": "c", "a": "o", "c": "e", "2": "Z", "g": "q",
           "rn": "m", "i": "í", "t": "f", "h": "b", "n": "ri", "u": "v", "6": "b", "9": "g"}


class Doc:
    def __init__(self, rng, cast, fillers):
        self.rng, self.cast, self.fillers = rng, cast, fillers
        self.segs = []

    def add(self, s, typ=None):
        if s:
            self.segs.append((s, typ))

    def expand_choices(self, t):
        while True:
            m = CHOICE_RE.search(t)
            if not m:
                return t
            opts = m.group(1).split("|")
            t = t[:m.start()] + self.rng.choice(opts) + t[m.end():]

    def t(self, template):
        """Expand a template and append its segments."""
        t = self.expand_choices(template)
        pos = 0
        for m in KEY_RE.finditer(t):
            self.add(t[pos:m.start()])
            key = m.group(1)
            pos = m.end()
            if key.startswith("~"):
                self.t(self.rng.choice(self.fillers[key[1:]]))
            elif key.startswith("%"):
                a, b = key[1:].split("-")
                self.add(f"{self.rng.uniform(float(a), float(b)):.{len(a.split('.')[1])}f}")
            elif key.startswith("#"):
                a, b = key[1:].split("-")
                self.add(str(self.rng.randint(int(a), int(b))))
            else:
                up = key.endswith("^")
                s, typ = self.cast.get(key.rstrip("^"))
                if up:
                    s = s.upper()
                self.add(s, typ if self.cast.phi else None)
                if typ and not self.cast.phi:
                    raise ValueError(f"PHI key {key} in no-PHI doc")
        self.add(t[pos:])
        return self

    def v(self, key):
        """Append a value by key (no surrounding text)."""
        s, typ = self.cast.get(key)
        if typ and not self.cast.phi:
            raise ValueError(f"PHI key {key} in no-PHI doc")
        self.add(s, typ)
        return self

    def pick(self, templates, k=None):
        """Append k distinct templates chosen from a pool, separated as they are written."""
        if k is None:
            self.t(self.rng.choice(templates))
        else:
            for tpl in self.rng.sample(templates, min(k, len(templates))):
                self.t(tpl)
        return self


def ocr_sub(rng, s, p):
    out = []
    i = 0
    while i < len(s):
        ch = s[i]
        two = s[i:i + 2]
        if two == "rn" and rng.random() < p:
            out.append("m")
            i += 2
            continue
        if ch in OCR_MAP and rng.random() < p:
            out.append(OCR_MAP[ch])
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def ocr_plain(rng, s, p):
    s = ocr_sub(rng, s, p)
    out = []
    for ch in s:
        if ch == " " and rng.random() < 0.06:
            out.append(rng.choice(["  ", "   ", "\n", " \n"]))
        elif ch.isalpha() and rng.random() < 0.004:
            out.append(ch + " ")
        else:
            out.append(ch)
    return "".join(out)


def finalize(segs, case, ocr, rng):
    text_parts, spans = [], []
    pos = 0
    p = rng.uniform(0.015, 0.05) if ocr else 0
    for s, typ in segs:
        if case == "upper":
            s = s.upper()
        elif case == "lower":
            s = s.lower()
        if ocr:
            s = ocr_sub(rng, s, p) if typ else ocr_plain(rng, s, p)
        if typ:
            stripped = s.strip()
            lead = len(s) - len(s.lstrip())
            if lead:
                text_parts.append(s[:lead])
                pos += lead
            spans.append({"start": pos, "end": pos + len(stripped), "type": typ, "text": stripped})
            text_parts.append(stripped)
            pos += len(stripped)
            trail = s[lead + len(stripped):]
            text_parts.append(trail)
            pos += len(trail)
        else:
            text_parts.append(s)
            pos += len(s)
    return "".join(text_parts), spans


TOKEN_CHARS = r"A-Za-z0-9\u00C0-\u024F"


def repeat_problem(text, spans):
    """A labelled string (>= 4 chars; for NAME also each word) found unlabelled as a token."""
    masked = list(text)
    for sp in spans:
        for i in range(sp["start"], sp["end"]):
            masked[i] = "\x00"
    masked = "".join(masked)
    cands = set()
    for sp in spans:
        cands.add(sp["text"])
        if sp["type"] == "NAME":
            for w in re.split(r"[\s,^.]+", sp["text"]):
                cands.add(w)
    for c in cands:
        if len(c) < 4 or c.lower() in WORDLIKE:
            continue
        rx = re.compile(rf"(?<![{TOKEN_CHARS}]){re.escape(c)}(?![{TOKEN_CHARS}])", re.IGNORECASE)
        if rx.search(masked):
            return c
    return None


def check_doc(d):
    text, spans = d["text"], d["spans"]
    prev = 0
    for sp in spans:
        assert sp["type"] in TYPES, sp
        assert 0 <= sp["start"] < sp["end"] <= len(text), sp
        assert sp["start"] >= prev, (d["id"], sp)
        assert text[sp["start"]:sp["end"]] == sp["text"], sp
        assert sp["text"] == sp["text"].strip(), sp
        if sp["type"] == "AGE" and sp["text"].isdigit():
            assert int(sp["text"]) > 89, sp
        prev = sp["end"]


# --------------------------------------------------------------------------------------
# Unlabelled clinical vocabulary (hard negatives live here)
# --------------------------------------------------------------------------------------
FILL = {
    "drug": ["metoprolol succinate [25|50|100] mg daily", "lisinopril [5|10|20|40] mg once daily", "apixaban 5 mg BID",
             "atorvastatin [10|20|40|80] mg nightly", "metformin 500 mg twice daily", "furosemide [20|40|80] mg IV BID",
             "oxycodone/acetaminophen 5/325 mg q6h PRN", "carbidopa/levodopa 25/100 mg TID",
             "amoxicillin-clavulanate 875/125 mg BID", "ceftriaxone 1 g IV q24h", "pantoprazole 40 mg daily",
             "sertraline 50 mg", "levothyroxine [25|50|75|100|125] mcg", "insulin glargine [10|14|18|22|30] units at bedtime",
             "enoxaparin 40 mg SC daily", "prednisolone 30 mg", "salbutamol 100 mcg 2 puffs PRN",
             "co-codamol 30/500 two tablets QDS", "paracetamol 1 g QDS", "bisoprolol 2.5 mg OD",
             "ramipril 5 mg OD", "gliclazide 80 mg BD", "amlodipine 5 mg", "tramadol 50 mg PRN",
             "morphine sulfate 2 mg IV q2h PRN", "hydromorphone 0.5 mg IV", "lorazepam 0.5 mg PO",
             "ondansetron 4 mg IV", "vancomycin 1.25 g IV q12h", "piperacillin-tazobactam 4.5 g IV q8h",
             "warfarin 5 mg (INR goal 2-3)", "clopidogrel 75 mg", "aspirin 81 mg", "telmisartan 40 mg",
             "metformin-sitagliptin 50/500 mg", "tiotropium 18 mcg inhaled daily", "donepezil 10 mg",
             "quetiapine 25 mg at night", "gabapentin 300 mg TID", "spironolactone 25 mg"],
    "dx": ["community-acquired pneumonia", "acute decompensated heart failure", "NSTEMI",
           "COPD exacerbation", "urinary tract infection with delirium", "cellulitis of the left lower leg",
           "type 2 diabetes mellitus, poorly controlled", "atrial fibrillation with RVR",
           "acute kidney injury (creatinine 2.1 from baseline 1.0)", "mechanical fall with left hip fracture",
           "Parkinson disease with recurrent falls", "Crohn's disease flare", "Hodgkin lymphoma, in remission",
           "Guillain-Barré syndrome", "Bell's palsy", "Hashimoto thyroiditis", "Cushing syndrome, under evaluation",
           "Addison disease", "Alzheimer dementia, moderate", "Graves disease", "Barrett esophagus",
           "Meniere disease", "Raynaud phenomenon", "Wernicke encephalopathy", "Sjögren syndrome",
           "Paget disease of bone", "upper GI bleed", "sepsis secondary to cholangitis", "DKA",
           "ischaemic stroke, left MCA territory", "dengue fever with thrombocytopenia", "pulmonary TB",
           "hyponatraemia", "syncope, likely vasovagal", "acute gout", "diverticulitis"],
    "epon": ["Glasgow Coma Scale 15", "negative Babinski sign", "positive Murphy sign", "Foley catheter in situ",
             "status post Whipple procedure", "Braden score 14", "Morse fall score 55", "Apgar 8/9",
             "Wells score 1", "CHA2DS2-VASc 4", "Waterlow 18", "Kernig sign negative", "Homan sign absent",
             "Trendelenburg gait", "Romberg negative", "Tinel sign positive at the wrist",
             "MMSE 24/30", "Barthel index 60", "NEWS2 score 5", "qSOFA 1", "Rockwood frailty 6",
             "Swan-Ganz catheter removed", "Hartmann procedure in the past", "Nissen fundoplication 2012",
             "Denver shunt", "Hickman line", "Quinton catheter", "Jackson-Pratt drain", "Roux-en-Y"],
    "vitals": ["BP {#100-168}/{#58-96}, HR {#58-118}, RR {#14-26}, SpO2 {#90-99}% on [RA|room air|2 L NC], T {%36.1-38.9}",
               "T {%97.2-101.4} F, P {#60-110}, BP {#102-170}/{#60-98}, O2 sat {#91-99}%",
               "obs: BP {#110-160}/{#60-90} HR {#60-100} RR {#12-22} sats {#93-99}% temp {%36.2-37.9}",
               "vitals stable, BP {#118-142}/{#70-88}, pain {#0-6}/10", "GCS 15, BM {%4.1-12.9}, NEWS {#0-6}"],
    "lab": ["Na {#128-144}, K {%3.1-5.6}, Cr {%0.6-2.4}, BUN/Cr {#10-28}", "WBC {%4.0-18.9}, Hb {%8.1-15.2}, Plt {#95-420}",
            "troponin {%0.01-0.40} ng/mL", "HbA1c {%5.8-11.4}%", "INR {%0.9-3.8}", "CRP {#3-220} mg/L",
            "lactate {%0.8-4.5} mmol/L", "eGFR {#22-90}", "TSH {%0.2-6.0} mIU/L", "BNP {#80-2400} pg/mL",
            "ALT {#12-140} U/L, ALP {#60-300} U/L", "ferritin {#12-700}", "Mg {%1.5-2.4}", "D-dimer {%0.2-3.0}"],
    "plan": ["Continue current regimen and recheck BMP in 1 week.", "Will continue IV antibiotics for 48 hours then step down.",
             "Patient may shower with dressing covered.", "Physiotherapy to review mobility tomorrow.",
             "Follow up with Cardiology in 2 weeks.", "Repeat CXR in 6 weeks.", "Titrate diuretics to daily weights.",
             "Falls precautions, bed alarm on.", "Diet as tolerated, encourage fluids.", "Wean O2 to keep sats 92-96%.",
             "Will discuss at MDT on Thursday.", "Refer to OT for home assessment.", "DNACPR discussed, remains full code for now.",
             "Safety-netting advice given.", "Stop NSAIDs, start PPI.", "Will review results in clinic.",
             "Hold metformin for 48 h post contrast.", "Social work consult placed.", "Dietitian referral sent.",
             "May resume normal activities as tolerated.", "Wound care daily by district nurses.",
             "Check INR on day 5.", "Encourage incentive spirometry 10x/hour while awake."],
    "hx": ["HTN", "T2DM", "CKD stage 3b", "COPD (GOLD 3)", "AF on anticoagulation", "hypothyroidism",
           "osteoarthritis of both knees", "prior CVA 2017 with residual L weakness", "TKR 2015",
           "appendicectomy as a child", "depression", "GORD", "BPH", "gout", "asthma", "OSA on CPAP",
           "HFrEF, EF 30%", "Parkinson disease", "osteoporosis", "glaucoma", "macular degeneration"],
    "dept": ["Cardiology", "the ICU", "A&E", "the Emergency Department", "General Medicine", "Ortho",
             "Respiratory", "the CCU", "Oncology", "Nephrology", "Geriatrics", "the AMU", "Surgery",
             "Neurology", "Endocrinology", "ED", "the step-down unit", "MAU"],
    "role": ["the attending", "the charge nurse", "the on-call registrar", "the night HO", "the SHO",
             "the hospitalist", "the duty doctor", "the senior resident", "the fellow", "the covering NP",
             "the bed manager", "the ward sister", "the pharmacist on duty", "the consultant"],
    "room": ["room {#101-540}", "bed {#1-32}", "bay {#1-6}", "Ward {#2-12}[A|B|C]", "room {#2-9}[A|B]",
             "side room {#1-8}", "cubicle {#1-14}", "ICU bed {#1-20}", "resus {#1-4}"],
    "insurer": ["BLUE SHIELD PPO", "Medicare Part B", "Aetna Choice POS II", "UnitedHealthcare Dual Complete",
                "Medicaid managed care", "Bupa", "AXA Health", "Medibank Extras", "HCF Hospital Gold",
                "OHIP", "Alberta Health", "Star Health Family Floater", "CGHS", "Ayushman Bharat PM-JAY",
                "Sun Life group benefits", "Humana Gold Plus HMO", "Cigna Open Access"],
    "unit": ["Medic {#1-40}", "Ambulance {#2-60}", "Rescue {#1-9}", "Engine {#1-30}", "Unit {#100-900}",
             "Car {#1-20}", "MICA {#1-12}", "CAT 108 unit {#1-15}"],
    "mfr": ["Medtronic", "Boston Scientific", "Abbott", "Tandem", "Insulet", "BD Alaris", "Baxter",
            "Philips", "ResMed", "Dexcom", "Biotronik", "Smiths Medical"],
    "ver": ["v{#2-9}.{#0-9}", "template v{#1-4}.{#0-12}", "rev {#2-9}", "form version {#1-6}.{#0-3}",
            "build {#1000-9999}"],
    "time": ["{#0-23}:{#10-59}", "{#1-12}:{#10-59} [am|pm|AM|PM]", "{#0-2}{#0-3}{#10-59} hrs", "0{#6-9}{#10-59}"],
    "dur": ["{#2-12} days", "{#1-6} weeks", "{#2-48} hours", "{#1-10} years", "several months", "since last winter"],
    "yr": ["{#1985-2023}"],
    "ndc": ["NDC 0093-{#1000-9999}-{#10-99}", "NDC 00781-{#1000-9999}-{#10-99}", "NDC 0378-{#1000-9999}-{#10-99}"],
    "icd": ["I50.9", "J18.9", "N39.0", "E11.65", "I48.91", "S72.002A", "N17.9", "J44.1", "L03.116",
            "G20", "K50.90", "C81.90", "F03.90", "R55", "A90"],
    "cpt": ["99223", "99232", "71046", "93000", "36415", "99285", "80053"],
}

# --------------------------------------------------------------------------------------
# Clinical prose without identifiers (used alone in no-PHI docs and mixed into PHI docs)
# --------------------------------------------------------------------------------------
CLIN = [
    "Admitted with {~dx}.", "Presented via {~dept} with {~dx}.", "Background of {~hx}, {~hx} and {~hx}.",
    "PMH: {~hx}; {~hx}; {~hx}.", "On arrival {~vitals}.", "Bloods: {~lab}; {~lab}.", "Labs notable for {~lab} and {~lab}.",
    "Started on {~drug}.", "Discharged on {~drug} and {~drug}.", "{~plan}", "{~plan} {~plan}",
    "Exam: {~epon}, {~epon}.", "Neuro: {~epon}.", "Seen by {~role} at {~time}; {~plan}",
    "Moved to {~room} on {~dept} overnight.", "Pain {#0-8}/10, settled with {~drug}.",
    "Quit smoking in {~yr}; {#5-40} pack-years.", "Drinks {#0-30} units/week.", "ECG: sinus rhythm, rate {#60-100}, no acute ST changes.",
    "CXR: [right lower lobe consolidation|cardiomegaly with small effusions|no acute findings|hyperinflation].",
    "Urine output {#20-80} mL/h via Foley catheter.", "Mobilising with [a frame|a stick|one assist|supervision].",
    "Family meeting planned; both parents died in their 70s of stroke.",
    "Diet: [soft|diabetic|renal|full ward|NBM after midnight].", "Allergies: [NKDA|penicillin (rash)|sulfa|codeine (nausea)|latex].",
    "Code status: [Full code|DNR/DNI|DNACPR in place|For full escalation].", "Insurance: {~insurer}.",
    "Template {~ver}.", "ICD-10 {~icd}; CPT {~cpt}.", "Weight {#48-118} kg, BMI {#18-41}.",
    "Symptoms for {~dur}.", "Uses [ResMed|Philips] CPAP nightly.", "Skin intact, {~epon}.",
    "Reviewed by {~role}, who agreed with the plan.", "No chest pain, no SOB, no fevers at {~time}.",
    "{~dx} — improving. {~plan}", "Dose reduced to {~drug} because of renal function.",
]

SOC_NOPHI = [
    "Lives with family in a two-storey house; independent with ADLs.", "Lives alone in a ground-floor flat with carers BD.",
    "Retired [teacher|bus driver|nurse|farmer|engineer|shopkeeper].", "Widowed, has two children who visit weekly.",
    "Moved into residential care last year.", "Uses a walker outdoors.", "Works night shifts as a [cleaner|security guard|warehouse picker].",
]

NEG = [
    "Insurance plan on the face sheet: {~insurer}; no member details on this copy.",
    "Brought in by {~unit} to {~dept}.", "Pain {#1-9}/10, BP {#100-150}/{#60-90}, Apgar 8/9 at birth.",
    "Taking oxycodone/acetaminophen 5/325 mg and carbidopa/levodopa 25/100 mg.",
    "Will review after lunch. Patient may shower.", "History of Hodgkin lymphoma ({~yr}) and Crohn's disease since {~yr}.",
    "Both parents lived into their 80s.", "Symptoms for {~dur}, worse at {~time}.",
    "Moved from {~room} to {~room} at {~time}.", "GCS {#9-15}, Babinski sign equivocal, Glasgow Coma Scale reassessed hourly.",
    "Known Parkinson disease; Whipple procedure in {~yr}.", "Last HbA1c {%5.9-9.9}% in {~yr}.",
    "Note generated with EHR template {~ver}, build {#2019-2025}.{#1-4}.", "Reviewed Tuesday afternoon by {~role}.",
    "{~ndc} dispensed; ICD-10 {~icd}, CPT {~cpt}.", "Site marked with skin marker; all five rays of the hand intact.",
    "Hope to step down to oral antibiotics if afebrile; will reassess.", "Grace period for the community referral is {#2-6} weeks.",
    "BUN/Cr {#10-30}, Na {#130-145}, ratio of {#1-3}:1 noted.", "Foley catheter removed at {~time}; voided {#150-500} mL.",
    "Morse {#25-75}, Braden {#10-20}, Waterlow {#8-25}.", "Seen in {~dept} in {~yr}, discharged after {~dur}.",
    "Charge nurse informed; on-call registrar aware.", "Bed {#1-30} in bay {#1-6}, Ward {#2-12}[A|B].",
    "May require Ortho input; will discuss with the attending.", "Mark on the left shin is an old scar from {~yr}.",
    "Smoked 20/day until {~yr}; drinks {#2-20} units a week.", "Dose: {~drug}.",
]

AGE_NP = ["{#19-89}-year-old", "{#19-89} y/o", "{#19-89}yo", "aged {#19-89}", "{#19-89} years old"]

LABELS = {
    "natlab": {"en_US": ["SSN", "Social Security #", "SS#", "Soc. Sec. No."], "en_GB": ["NI number", "NINO", "National Insurance no."],
               "en_CA": ["SIN", "Social Insurance Number", "SIN #"], "en_AU": ["TFN", "Tax File Number", "TFN no."],
               "en_IN": ["Aadhaar", "Aadhaar No.", "UID (Aadhaar)"]},
    "hplab": {"en_US": ["Member ID", "Subscriber ID", "Policy #", "Medicare MBI", "Medicaid ID"],
              "en_GB": ["Bupa membership no.", "Insurer policy no.", "Private cover ref"],
              "en_CA": ["Health card #", "OHIP #", "PHN", "Health card no.", "RAMQ"],
              "en_AU": ["Medicare no.", "Medicare card", "Medicare #", "DVA file no."],
              "en_IN": ["PMJAY ID", "ESIC IP No.", "Ayushman card no.", "Policy No."]},
    "liclab": {"en_US": ["State lic.", "License #", "Lic. No."], "en_GB": ["GMC", "GMC No.", "GMC ref"],
               "en_CA": ["CPSO #", "CPSBC", "CPSA licence", "Licence no."], "en_AU": ["AHPRA", "AHPRA reg.", "Reg. no."],
               "en_IN": ["Reg. No.", "KMC Reg.", "MMC Reg. No.", "TNMC No."]},
    "mrnlab": {"en_US": ["MRN", "Med Rec #", "Chart #", "Hosp #", "MR#"], "en_GB": ["Hospital No.", "Hosp no", "RXH no.", "Unit No."],
               "en_CA": ["MRN", "Chart no.", "Hospital #"], "en_AU": ["UR No.", "UR", "MRN", "URN"],
               "en_IN": ["UHID", "IP No.", "MRD No.", "Reg. No."]},
    "gpw": {"en_US": ["PCP", "primary care physician", "primary doctor"], "en_GB": ["GP", "general practitioner", "GP surgery"],
           "en_CA": ["family physician", "family doctor", "GP"], "en_AU": ["GP", "regular GP", "usual GP"],
           "en_IN": ["family physician", "local doctor", "consultant"]},
    "zipw": {"en_US": ["ZIP", "Zip code", "zip"], "en_GB": ["postcode", "post code"], "en_CA": ["postal code", "postal code"],
             "en_AU": ["postcode", "P/code"], "en_IN": ["PIN", "pincode", "PIN code"]},
    "mob_w": {"en_US": ["cell", "mobile", "cell phone"], "en_GB": ["mobile", "mob"], "en_CA": ["cell", "mobile"],
              "en_AU": ["mobile", "mob"], "en_IN": ["mobile", "mob.", "cell"]},
}


def natid_ok(loc):
    return True


# ---- shared PHI clause pools (identifiers in many grammatical positions) ----
AGEF = ["{age}-year-old", "{age} y/o", "{age}yo", "{age} year old", "{age.w}-year-old", "{age.w} year old",
        "{age}-yr-old", "{age} yr old", "{age}-y.o."]
INTRO = [
    "{pt} is a " + a + " {sexw} [from|who lives in|living in] {town} [admitted|who presented] on {adm} with {~dx}." for a in AGEF[:4]
] + [
    "This is a {age.w} year old {sexw}, {pt.first} to {his} family, seen on {d1.md} for {~dx}.",
    "{hon} {pt.last}, a {age}-year-old retired [teacher|machinist|nurse|postman|tailor|farmer] from {town}, came in with {~dx}.",
    "{pt.Lf} (DOB {dob}; {mrnlab} {mrn}) presented to {fac} with {~dx}.",
    "Pt {pt.fml}, aged {age}, [was brought in|self-presented|was referred] on {adm.long} from {fach}.",
    "[Patient|Pt] is {age} years of age; [lives|resides] at {addr}, {town} {zip}. Admitted {adm.md} with {~dx}.",
    "{age.W}-year-old {sexw} ({pt}) with {~hx} and {~hx}, here with {~dx}.",
    "We saw {pt} ({mrnlab} {mrn}) today, {today.abbr}, for {~dx}.",
    "{pt} — {age} {sex1} — {~dx}.",
    "Referred by {gpw} Dr {dr2.last} at {facc} with a {~dur} history of {~dx}.",
    "I met {hon} {pt.last} and {his} {rel.role} {rel.first} on the ward on {d1.ord}.",
    "{pt.Lf} is {age} and was admitted {adm.md} - discharged {dis.md}.",
    "Seen at the request of Dr. {dr2} for {~dx} in this {age}-year-old.",
]
SOCIAL = [
    "Lives at {addr}, {town}, {state} {zip} with {his} {rel.role} {rel.first}.",
    "{He} lives [near|just outside|on the outskirts of|in] {town} with {his} {rel.role}, {rel}.",
    "Originally from {town2}, moved to {town} in {~yr}.",
    "{His} {rel.role} {rel.first} ({ph}) is next of kin.",
    "NOK: {rel} ({rel.role}), {mob_w} {mob}.",
    "{rel.first}, {his} {rel.role}, drove {him} in from {town}.",
    "Lives in {hood}, {town}, in a [third-floor walk-up|council flat|rented bungalow|joint family home].",
    "Born in {country}; came to {town} {#2-40} years ago and still speaks mostly [Polish|Tagalog|Somali|Punjabi|Vietnamese|Italian].",
    "Home address on file: {addr}, {town} {zip}.",
    "Sheltered housing at {addr}, {town}; warden contactable on {ph}.",
    "Resident of {fach} in {town} since {~yr}.",
    "{His} {rel.role} {rel} lives nearby in {town2} and visits daily.",
    "Was staying with {his} {rel.role} in {town2} when symptoms started on {onset.ord}.",
    "Works as a [driver|cook|carpenter|cleaner|bank clerk] in {town}; {his} employer was informed with consent.",
    "Grew up in {county}; now lives alone in {town}.",
    "Contact {rel.first} on {ph} or {mob} if unable to reach the patient.",
    "The family ({rel.role} {rel.first}) [asked|requested] that updates go to {email3}.",
    "Discharge destination: home to {addr}, {town} ({zipw} {zip}).",
    "Lives with {his} {rel.role}, {rel.first}, who has [early dementia|her own health issues|a new baby|a disability] herself.",
    "Family lives in {town2}; {his} {rel.role} is the main carer.",
]
INTRO += [
    "{pt.first}, {age}, [came in|was brought in] by {his} {rel.role} after a [fall|collapse|choking episode] at home in {town}.",
    "Known to us: {pt} ({mrn}), last admitted {prev.abbr}.",
    "At {age.w}, {hon} {pt.last} is the oldest resident of {fach}.",
    "Reason for visit ({today.md}): {~dx}. Patient {pt.init}, {age} y/o.",
    "{pt.FULL}, {age}{sex1}, {mrnlab} {mrn}: {~dx}.",
    "Pleasant {age.w}-year-old [retired|widowed|married] {sexw} whose {rel.role} {rel.first} gives most of the history.",
    "Transferred from {fac2} on {adm.ord} for ongoing care of {~dx}; {he} is {age}.",
    "{pt.Lf} — aged {age} — [self-referred|GP referral|walk-in] from {hood}.",
]
SOCIAL += [
    "{His} {rel.role}'s address is {addr2}, {town2} {zip2}, which should be used for letters.",
    "Drives a [silver|blue|white|red] [hatchback|pickup|sedan|ute] (reg {plate}); advised not to drive for 6 months.",
    "{He} was born in {town3} and has lived at {addr} since {~yr}.",
    "Carers from {fach} visit {addr} twice a day.",
    "{He} splits {his} time between {town} and {his} {rel.role}'s place in {town2}.",
    "Nearest relative: {rel.Lf}, {rel.role}, tel {ph}.",
    "Phone at home {home}; {his} {rel.role} {rel.first} on {mob}.",
    "Can be contacted via {email} or {mob}.",
    "Neighbour {wit.first} has a key to {addr}.",
    "{He} spent {#1-30} years in {country} before settling in {county}.",
    "{His} {rel.role} ({rel.first}) works nights at {fac2}.",
    "Meals on wheels deliver to {addr}, {town}.",
    "Lives with {his} {rel.role} in {town}; no stairs at home.",
    "From {town2} originally, {he} now lives [alone|with family|in a rented room] in {hood}.",
    "{He} lives on the outskirts of {town} — about forty minutes from {fac}.",
    "Home: {addr} ({town}), {zipw} {zip}; key safe code held by {his} {rel.role}.",
]
EXTRA = [
    "Identity confirmed with {natlab} {ssn}.", "Drives; vehicle reg {plate}.", "Voice-verified on the phone line (voiceprint {bio}).",
    "Fingerprint template {bio} enrolled for the medication cabinet.", "Portal login {user} last used from {ip}.",
    "Results available at {url}.", "Driver's licence {dl} used as photo ID.", "Pacemaker check: {~mfr}, serial {dev}.",
    "Claim {claim} submitted to {~insurer}.", "Order {order} placed for {~lab}.", "Rx {rx} sent electronically.",
]
IDS = [
    "{mrnlab}: {mrn}; Acct: {acct}.", "{pt} ({mrnlab} {mrn})", "Ins: {~insurer}, {hplab} {hp}.",
    "{hplab} {hp}, group {grp}.", "{natlab} {ssn} on file.", "[Pt|Patient] confirmed {natlab} {ssn}.",
    "Billing account {acct} (guarantor {rel}).", "Encounter {enc}.", "{mrnlab} {mrn} / Visit {enc}",
]
IDS_US = ["Last four of SSN {ssn4} verified.", "SSN ending {ssn4}.", "SSN xxx-xx-{ssn4} confirmed by phone."]
DATES = [
    "Admitted {adm.md} - discharged {dis.md}.", "Admitted {adm} to {dis}.", "LOS {adm.dm}–{dis.dm}.",
    "Last seen in clinic on {prev.long}.", "Symptoms began on {onset.ord}.",
    "Follow-up booked for {fu.wd}, {fu.abbr} at {~time}.", "Previous echo {prev.short}: EF 35%.",
    "Seen {d1.md} by Dr {dr.last}.", "Bloods repeated on {d2.dm}.", "Surgery planned for the {fu.ord}." ,
    "Off work from {d1.md} to {d2.md}.", "Flu vaccine given {prev.num}.", "Dressing changed {d2.md} and {d3.md}.",
]
SIGN = [
    "\n\nElectronically signed by {dr}, {dr.title} on {sigd} at {~time}.",
    "\n\nDictated by Dr. {dr.last}; transcribed {sigd.short} by {staff.init}.",
    "\n\n— {dr.init}, {dr.title}, bleep {bleep}",
    "\n\nAttending: Dr {dr} ({liclab} {lic})",
    "\n\n{dr.fml}, {dr.title}\n{liclab} {lic}\n{sigd.long}",
    "\n\nSigned: {dr} {dr.title}   Date: {sigd.num}   Pager {pager}",
    "\n\nReviewed and signed {sigd.iso} {~time} by {dr.Lf}, {dr.title}.",
]
DEV = ["{He} has a {~mfr} pacemaker, serial {dev}.", "Insulin pump ({~mfr}) S/N {dev}.",
       "ICD in situ, model {~mfr} {#100-900}, serial no. {dev}.", "Implant UDI {udi}.",
       "Hip prosthesis lot documented; UDI {udi}."]


# --------------------------------------------------------------------------------------
# Document kinds
# --------------------------------------------------------------------------------------
def sents(d, pool, k, sep=" ", end=""):
    items = d.rng.sample(pool, min(k, len(pool)))
    for i, tpl in enumerate(items):
        d.t(tpl)
        d.add(sep if i < len(items) - 1 else end)


def clin(d, k, sep=" "):
    sents(d, CLIN, k, sep)


def meds(d, n=None):
    n = n or d.rng.randint(2, 6)
    style = d.rng.choice(["num", "dash", "plain"])
    for i in range(n):
        pre = {"num": f"{i + 1}. ", "dash": "- ", "plain": ""}[style]
        d.t(pre + "{~drug}\n")


FOLLOW = [
    "Follow up with Dr {dr2.last} at {facc} ({fac_ph}) on {fu.md}.",
    "GP to check U&Es in 1 week; copy of this letter to Dr {dr2}, {facc}.",
    "Appointment {fu.long} at {~time} with {dr2.init} in {~dept} clinic.",
    "District nurses to visit {addr} for wound care from {fu.dm}.",
    "Outpatient echo booked at {fac2} for {fu.wd} {fu.md}.",
    "Return to {facc} in 2 weeks; call {fac_ph} with concerns.",
    "Follow-up: {dr2.Lf}, {facc}, tel {fac_ph}, fax {fax}.",
    "{He} will see {his} {gpw}, Dr {dr2.last}, within 7 days.",
    "Pharmacy: scripts sent to {facp}, {town2}.",
]


def k_discharge(d, c, r, phi, loc):
    if not phi:
        d.t(r.choice(["DISCHARGE SUMMARY\n\n", "Discharge Summary\n=================\n\n", "DISCHARGE NOTE\n\n"]))
        d.t("PRINCIPAL DIAGNOSIS: {~dx}\nSECONDARY: {~hx}; {~hx}\n\nHPI:\n")
        d.t("A " + r.choice(AGE_NP) + " [man|woman|patient] ")
        d.t("[presented|was admitted] with {~dx}. ")
        clin(d, 2)
        d.t(" ")
        sents(d, SOC_NOPHI, 1)
        d.t("\n\nHOSPITAL COURSE:\n")
        clin(d, r.randint(2, 4))
        d.t(" ")
        sents(d, NEG, r.randint(1, 3))
        d.t("\n\nDISCHARGE MEDICATIONS:\n")
        meds(d)
        d.t("\nFOLLOW-UP: {~plan}\n")
        d.t("[Discharged on day {#2-14} of admission.|Total LOS {#2-14} days.|Discharged home at {~time}.]\n")
        return
    lay = r.randint(0, 2)
    if lay == 0:
        d.t(r.choice(["{fac^}\n", "{fac}\n", "{fac} — {~dept}\n"]))
        d.t("DISCHARGE SUMMARY\n\n")
        d.t("Patient: {pt.Lf}        {mrnlab}: {mrn}\n")
        d.t("DOB: {dob}    Age: {age}    Sex: {sex1}\n")
        d.t("Admitted: {adm}    Discharged: {dis}\n")
        d.t("Attending: Dr. {dr}    {gpw}: Dr {dr2} ({facc})\n\n")
    elif lay == 1:
        d.t("Discharge Summary — {fac}\n")
        d.t("Name: {pt.LF} | DOB {dob.num} | {mrnlab} {mrn} | Acct {acct}\n")
        d.t("Admission {adm.mon} → Discharge {dis.mon} | Consultant: {dr.init}\n\n")
    else:
        d.t("[Discharge summary|DISCHARGE LETTER] for {pt}, {age} [years|yrs], admitted to {~dept} at {fac} on {adm.long} and discharged {dis.long}.\n\n")
    d.t("PRINCIPAL DIAGNOSIS: {~dx}\nSECONDARY: {~hx}; {~hx}\n\nHISTORY OF PRESENT ILLNESS:\n")
    sents(d, INTRO, 1, end=" ")
    clin(d, 2)
    d.t(" ")
    sents(d, SOCIAL, r.randint(1, 3))
    d.t("\n\nHOSPITAL COURSE:\n")
    clin(d, r.randint(2, 4))
    d.t(" ")
    sents(d, DATES, r.randint(1, 2))
    if r.random() < 0.3:
        d.t(" ")
        sents(d, DEV, 1)
    d.t("\n\nDISCHARGE MEDICATIONS:\n")
    meds(d)
    d.t("\nFOLLOW-UP:\n")
    sents(d, FOLLOW, r.randint(1, 3), sep="\n")
    if r.random() < 0.4:
        d.t("\n")
        sents(d, IDS + (IDS_US if loc == "en_US" else []), 1)
    if r.random() < 0.3:
        d.t("\n")
        sents(d, EXTRA, 1)
    sents(d, SIGN, 1)
    d.t("\n")


NURSE_PHI = [
    "{~time} pt [settled|restless|confused overnight], {rel.role} {rel.lowfirst} visited and stayed till {~time}.",
    "{rel.role} {rel.first} rang from {town} asking for update, informed of plan.",
    "{pt.first} [ate|managed] {#10-100}% of breakfast.", "pt says {his} {rel.role} {rel.first} will bring clothes tmrw.",
    "{pt.low} mobilised to toilet with frame.", "family ({rel.role} {rel.first} {mob}) happy with plan.",
    "Dr {dr.last} reviewed at {~time}, bloods sent.", "pt keeps asking to go home to {town}.",
    "handover given to {rn2.first} at {~time}.", "{rn} RN — co-signed {~drug}.",
    "pt states {he} is {age} and 'not going into a home'.", "{rel.role} {rel.first} wants a call on {ph} if any change.",
    "pt from {fach}, staff there ({staff.first}) updated by phone {ph}.",
    "pt's {rel.role} brought in meds list from {facp}.", "{pt.first} tearful re {his} {rel.role} {rel2.first} in hospital in {town2}.",
    "bleeped Dr {dr.last} ({bleep}) re BP {#80-95}/{#40-60}.", "ct {pt.lowfirst} is {age} yrs old, lives w {rel.role} in {town}.",
    "transport booked for {dis.md} to {addr}, {town}.", "{dr.init} aware of temp spike at {~time}.",
]
NURSE_CLIN = [
    "{~time} obs stable, {~vitals}.", "pressure areas intact, repositioned 2hrly.", "{~epon}.",
    "pain {#0-9}/10, given {~drug}.", "{~plan}", "voiding ok, no BNO {#1-4} days, aperients given.",
    "IV site clean, cannula day {#1-4}.", "fluid balance +{#100-900} mL.", "slept well, no concerns.",
    "wound dressing dry and intact.", "bm {%4.0-14.5} pre lunch.", "moved to {~room}.",
    "falls risk, bed rails up, call bell in reach.", "may need OT input before d/c.", "will continue to monitor.",
    "daughter visiting, pt happier.", "denies chest pain.", "on {#1-4} L O2 via NC.",
]


def k_nursing(d, c, r, phi, loc):
    hdr = r.choice(["Nursing note", "NURSING PROGRESS NOTE", "Shift report", "Nursing entry", "night shift", "Day shift note", ""])
    if hdr:
        d.t(hdr + "\n")
    if phi and r.random() < 0.6:
        d.t(r.choice(["Pt: {pt} | {~room} | {mrnlab} {mrn}\n", "{pt.LF} {~room}\n", "re: {pt.low} ({mrn})\n",
                      "{today.md} {~time} - {pt}\n", "Patient {pt.init}, DOB {dob.short}\n"]))
    n = r.randint(4, 9)
    pool = NURSE_CLIN + (NURSE_PHI if phi else [])
    items = r.sample(pool, min(n, len(pool)))
    if phi and not any(x in NURSE_PHI for x in items):
        items[0] = r.choice(NURSE_PHI)
    sep = r.choice(["\n", "  ", "\n- ", " / ", "\n* "])
    for i, it in enumerate(items):
        d.t(it)
        d.add(sep if i < len(items) - 1 else "\n")
    if phi and r.random() < 0.5:
        d.t(r.choice(["-- {rn.first} {rn.init}, RN\n", "{rn.init} RN {~time}\n", "signed {rn} {today.md}\n", "{rn.lowfirst}\n"]))
    elif not phi:
        d.add(sep)
        sents(d, NEG, r.randint(1, 3), sep=sep)
        d.add("\n")
        d.t(r.choice(["-- RN\n", "signed, night RN\n", "- charge nurse\n", ""]))


def k_progress(d, c, r, phi, loc):
    if phi:
        d.t(r.choice(["PROGRESS NOTE — {today} — {~dept}\n", "Progress Note\nDate: {today.num}  Time: {~time}\nPatient: {pt} ({mrnlab} {mrn})\n",
                      "SOAP note {today.md} — {pt.Lf}\n", "Daily progress | {pt.LF} | {~room} | Day {#2-12}\n",
                      "Ward round {today.wd} {today.abbr}, Dr {dr.last}\n"]))
    else:
        d.t(r.choice(["PROGRESS NOTE — Hospital day {#2-12}\n", "Progress Note\nTime: {~time}\n", "SOAP note\n", "Ward round, {~dept}\n"]))
    d.t("\nS: ")
    S_PHI = ["{pt.first} reports [better sleep|less breathlessness|ongoing nausea|worse pain in the hip].",
             "Says {his} {rel.role} {rel.first} noticed [confusion|a rash|swelling] on {d1.dm}.",
             "Pt wants to get back to {town} for {his} [granddaughter's wedding|allotment|church group] on {fu.ord}.",
             "{He} is {age} and [feels|says {he} feels] 'worn out'."]
    S_NP = ["Feels better today.", "Ongoing nausea, tolerating sips.", "Pain controlled.", "Slept poorly; anxious about discharge.",
            "Reports less breathlessness.", "No new complaints."]
    sents(d, S_NP + (S_PHI if phi else []), r.randint(1, 2))
    d.t("\nO: {~vitals}. {~lab}. {~epon}.\n")
    d.t("A: {~dx}. ")
    clin(d, 1)
    d.t("\nP: {~plan} {~plan}")
    if phi:
        P_PHI = [" Discuss with {rel.role} {rel.first} ({ph}).", " Dr {dr2.last} ({~dept}) to review.", " d/w {dr2.init}, bleep {bleep}.",
                 " Aim d/c {dis.md} to {town}.", " Repeat labs {d2.md}.", " Transfer to {fac2} planned.", " Update {gpw} Dr {dr3.last} at {facc}."]
        sents(d, P_PHI, r.randint(1, 2), sep="")
        d.t(r.choice(["\n\n{dr}, {dr.title}", "\n\n-- {dr.init}", "\n\nSigned {dr.Lf} {today.short} {~time}", "\n{dr.fml} ({liclab} {lic})"]))
    else:
        d.t(" ")
        sents(d, NEG, r.randint(1, 2), sep="")
        d.t(r.choice(["\n\n-- covering physician", "\n\nDiscussed with the consultant.", "\n\nSigned, {~role}", ""]))
    d.t("\n")


def dots(r, label, width=None):
    width = width or r.randint(14, 20)
    return label + r.choice([".", ".", " ."]) * 1 + "." * max(2, width - len(label)) + r.choice([" ", "", "  "])


def k_hp(d, c, r, phi, loc):
    d.t(r.choice(["HISTORY AND PHYSICAL\n", "H&P — ADMISSION\n", "Admission History & Physical Examination\n", "CLERKING\n"]))
    if phi:
        rows = [("NAME", "{pt.LF}"), ("DOB", "{dob}"), ("AGE", "{age}"), ("SEX", "{sex1}"), (r.choice(["MRN", "HOSP NO", "UR NO", "UHID"]), "{mrn}"),
                ("ADDRESS", "{addr}, {town} {zip}"), ("ADMITTED", "{adm}"), ("ATTENDING", "Dr {dr}"), ("PHONE", "{ph}")]
        keep = [rows[0], rows[1], rows[2]] + r.sample(rows[3:], r.randint(3, 6))
        for lab, val in keep:
            d.t(dots(r, lab) + val + "\n")
    else:
        d.t(dots(r, "AGE") + "{#19-89}\n" + dots(r, "SEX") + "[M|F]\n" + dots(r, "SOURCE") + "[self|ambulance|GP referral|transfer]\n")
    d.t("\nCHIEF COMPLAINT: {~dx}\n\nHPI: ")
    if phi:
        sents(d, INTRO, 1, end=" ")
    else:
        d.t("A " + r.choice(AGE_NP) + " [man|woman] with {~hx} presenting with {~dx}. ")
    clin(d, r.randint(1, 3))
    d.t("\n\nPMH: {~hx}, {~hx}, {~hx}\nPSH: {~epon}\nMEDS: {~drug}; {~drug}\nALLERGIES: [NKDA|penicillin|sulfa drugs|none known]\n")
    d.t("SOCIAL: ")
    if phi:
        sents(d, SOCIAL, r.randint(1, 3))
    else:
        sents(d, SOC_NOPHI, 2)
        d.t(" ")
        sents(d, NEG, r.randint(1, 2))
    d.t("\nFAMILY: [Father died of MI in his 60s|Mother had Alzheimer disease|No family history of cancer|Brother with T2DM].\n")
    d.t("ROS: otherwise negative.\nEXAM: {~vitals}. {~epon}. {~epon}.\n")
    d.t("ASSESSMENT/PLAN: {~dx}. {~plan} {~plan}\n")
    if phi and r.random() < 0.35:
        sents(d, EXTRA, 1)
        d.t("\n")
    if phi:
        sents(d, SIGN, 1)
        d.t("\n")


def k_ems(d, c, r, phi, loc):
    svc = {"en_US": "EMS", "en_GB": "Ambulance Service", "en_CA": "Paramedic Services", "en_AU": "Ambulance", "en_IN": "108 Emergency"}[loc]
    d.t(r.choice([f"PATIENT CARE REPORT — {svc}\n", f"{svc} RUN REPORT\n", "EMS Run Report\n", "ePCR\n"]))
    if phi:
        d.t(r.choice(["Run #: {run}   Incident #: {inc}\n", "PCR {run} | CAD {callref}\n", "Run No. {run}\n", "Incident {inc} / Run {run}\n"]))
        d.t("Date: {today}   Unit: {~unit}   Dispatched {~time}  On scene {~time}  Transport {~time}\n")
        d.t(r.choice(["Crew: {emt}, EMT-P; {emt2}, EMT-B\n", "Crew: {emt.Lf} (paramedic) / {emt2.Lf}\n", "Attending clinician {emt.init}, driver {emt2.first}\n"]))
        d.t(r.choice(["Location: {addr}, {town} {zip}\n", "Scene: [private residence|roadside|shopping centre car park|workplace] at {addr}, {town}\n",
                      "Response to {addr} ({hood}), {town}\n", "Pickup: {fach}, {addr}, {town}\n"]))
        d.t(r.choice(["Patient: {pt.LF}  DOB {dob}  Age {age}  Sex {sex1}\n", "Pt name: {pt}, {age} y, {sex1}\n",
                      "PT: {pt.Lf} / AGE: {age} / DOB: {dob.short}\n"]))
        if r.random() < 0.3:
            d.t("Pt ID via [driver's licence|DL] {dl}.\n")
        d.t("\nNARRATIVE: ")
        N = ["Dispatched to a [fall|possible CVA|MVC|breathing difficulty|chest pain] at the above address.",
             "On arrival found {age}-year-old {sexw} [seated in a chair|on the bathroom floor|in the driver's seat] with {his} {rel.role} {rel.first} in attendance.",
             "{rel.role} ({rel}, {mob}) states pt was last seen well at {~time}.",
             "Pt lives alone near {town2}; neighbour {wit} called 911 at {~time}." if loc == "en_US" else "Pt lives alone near {town2}; neighbour {wit} called for help at {~time}.",
             "MVC: pt's vehicle, plate {plate}, VIN {vin}, front-end damage, airbags deployed.",
             "Police on scene (officer {guard.last}); other driver {drv} uninjured.",
             "Pt is {age.w} and states '[I'm fine|don't fuss|I just slipped]'.",
             "Pt has {~mfr} pacemaker, card shows serial {dev}.",
             "Meds bag from {facp} brought with pt.",
             "Handover to {~role} at {fac} at {~time}; bed {#1-30}.",
             "Transported to {fac} without incident.", "Pt refused transport; capacity assessed, signed refusal witnessed by {wit}."]
        sents(d, N, r.randint(3, 6))
    else:
        d.t("Unit: {~unit}   Dispatched {~time}  On scene {~time}  Transport {~time}\nCrew: paramedic x2\n\nNARRATIVE: ")
        d.t("Dispatched to a [fall|possible CVA|chest pain|seizure|breathing difficulty]. Found " + r.choice(AGE_NP) + " [man|woman] [seated|supine|ambulatory]. ")
        d.t("[Scene safe.|Police on scene.|Family present.] ")
        sents(d, NEG + CLIN, r.randint(2, 4))
    d.t("\nASSESSMENT: {~vitals}. {~epon}.\nTREATMENT: [aspirin 324 mg PO|GTN 400 mcg SL|oxygen 4 L NC|IV access 18G L AC, NS 500 mL|salbutamol 5 mg neb|glucagon 1 mg IM]. ")
    d.t("[Condition improved en route.|No change en route.|Pt stable throughout.]\n")
    if phi and r.random() < 0.7:
        d.t("Receiving: {fac}. Report given to {rn} RN.\n")
    else:
        d.t("Receiving: {~dept}. Report given to the triage nurse.\n")


def _col(s, w):
    return s + " " * max(1, w - len(s))


def k_pharmacy(d, c, r, phi, loc):
    drugs = ["OXYCODONE 5MG TAB", "HYDROCODONE/APAP 5/325", "MORPHINE SULF 15MG ER", "FENTANYL 25MCG/HR PATCH",
             "ALPRAZOLAM 0.5MG", "LORAZEPAM 1MG", "METHYLPHENIDATE 10MG", "BUPRENORPHINE/NALOXONE 8/2",
             "TRAMADOL 50MG", "DIAZEPAM 5MG", "CODEINE PHOS 30MG", "TAPENTADOL 50MG", "ZOLPIDEM 10MG",
             "MORPHINE 10MG/5ML SOLN", "DEXAMFETAMINE 5MG"]
    if not phi:
        d.t(r.choice(["CONTROLLED DRUG STOCK RECONCILIATION\n", "CD Register — stock check\n", "Schedule II inventory count\n"]))
        d.t("Cabinet: [A|B|Main|ED]   Count performed at {~time} by two pharmacists\n\n")
        hdr = ["DRUG", "NDC", "LOT", "EXPECTED", "COUNTED", "VAR"]
        ws = [26, 18, 10, 10, 9, 5]
        d.add("".join(_col(h, w) for h, w in zip(hdr, ws)).rstrip() + "\n")
        for _ in range(r.randint(5, 11)):
            e = r.randint(10, 400)
            v = r.choice([0, 0, 0, 0, -1, 1, -2])
            row = [r.choice(drugs), f"{r.choice(['0093', '00406', '0054', '68084'])}-{r.randint(1000, 9999)}-{r.randint(10, 99)}",
                   pat(r, "@@####"), str(e), str(e + v), str(v)]
            d.add("".join(_col(x, w) for x, w in zip(row, ws)).rstrip() + "\n")
        d.t("\nDiscrepancies: [none|1 tablet oxycodone — broken tablet, wasted and witnessed|reconciled after recount].\nForm {~ver}.\n")
        return
    d.t(r.choice(["{facp^}\nCONTROLLED SUBSTANCE DISPENSING LOG\n", "{facp} — CD register (Schedule 2)\n", "CII DISPENSING LOG — {facp}\n"]))
    if r.random() < 0.6:
        d.t("Pharmacist in charge: {phm} ([reg.|registration|licence no.] {lic})\n")
    d.t("\n")
    cols = r.choice([["DATE", "RX#", "PATIENT", "DRUG", "QTY", "PRESCRIBER", "DEA"],
                     ["DATE", "PATIENT", "ADDRESS", "DRUG", "QTY", "PRESCRIBER", "RPH"],
                     ["DATE", "RX#", "PATIENT", "DOB", "DRUG", "QTY", "BAL"]])
    if loc != "en_US":
        cols = [("REG NO" if h == "DEA" else h) for h in cols]
    ws = {"REG NO": 14, "DATE": 12, "RX#": 11, "PATIENT": 24, "DRUG": 26, "QTY": 5, "PRESCRIBER": 22, "DEA": 11, "ADDRESS": 30, "RPH": 6, "DOB": 12, "BAL": 5}
    d.add("".join(_col(h, ws[h]) for h in cols).rstrip() + "\n")
    nrows = r.randint(4, 9)
    bal = r.randint(700, 1200)
    for i in range(nrows):
        pk = ["pt", "pt2", "pt3", "pt4"][i % 4] if i < 4 else None
        p = c.person(pk) if pk else c.new_person()
        for h in cols:
            w = ws[h]
            if h == "DATE":
                dd = c.today - datetime.timedelta(days=nrows - i)
                v = c.dform(dd, "num" if r.random() < 0.7 else "md")
                d.add(v, "DATE")
            elif h == "RX#":
                v = pat(r, r.choice(["#######", "RX######", "##-#####"]))
                d.add(v, "ID")
            elif h == "PATIENT":
                v = f"{p['last'].upper()}, {p['first'].upper()}"
                d.add(v, "NAME")
            elif h == "DOB":
                dd = datetime.date(c.today.year - r.randint(18, 88), r.randint(1, 12), r.randint(1, 28))
                v = c.dform(dd, "num")
                d.add(v, "DATE")
            elif h == "ADDRESS":
                v = gen_street(r, loc, 0.2)
                d.add(v, "ADDRESS")
            elif h == "DRUG":
                v = r.choice(drugs)
                d.add(v)
            elif h == "QTY":
                q = r.choice([10, 20, 28, 30, 56, 60, 90])
                bal -= q
                v = str(q)
                d.add(v)
            elif h == "BAL":
                v = str(bal)
                d.add(v)
            elif h == "PRESCRIBER":
                key = "dr" if r.random() < 0.6 else "dr2"
                v = c.pform(key, r.choice(["LF", "init", "Lf"]))
                if len(v) > w - 1:
                    v = c.pform(key, "last")
                d.add(v, "NAME")
            elif h == "DEA":
                v = c.get("dea")[0] if r.random() < 0.6 else c.get("dea2")[0]
                d.add(v, "LICENSE")
            elif h == "REG NO":
                v = c.get("lic")[0] if r.random() < 0.6 else c.get("lic2")[0]
                d.add(v, "LICENSE")
            elif h == "RPH":
                v = c.pform("phm", "fi")
                d.add(v, "NAME")
            if h != cols[-1]:
                d.add(" " * max(1, w - len(v)))
        d.add("\n")
    if r.random() < 0.3:
        d.t("\nCabinet access: fingerprint template {bio} ({phm.init}) at {~time}.")
    d.t("\n" + r.choice(["Balance verified {today.md} by {phm.init}; witness {staff}.\n", "Counted by {phm} and {staff} at {~time}.\n",
                         "Reviewed: {phm.Lf}, RPh. Discrepancies: none.\n", "Note: {pt.Lf} early refill request declined, prescriber Dr {dr.last} ({phx}) notified.\n"]))


def k_referral(d, c, r, phi, loc):
    d.t(r.choice(["{facc}\n", "{facc^}\n", "{fac}\n{~dept}\n"]))
    d.t("{addr2}\n{town2}[, | ]{state2}[ |\n]{zip2}\n")
    d.t(r.choice(["Tel: {fac_ph}  Fax: {fac_fax}\n", "T {fac_ph} | F {fac_fax} | {url2}\n", "Phone {fac_ph}\nWeb: {url2}\n", "Tel {fac_phx}\n"]))
    d.t("\n{today.long}\n\n")
    d.t(r.choice(["Dr {dr2}\n{fac}\n", "Dr {dr2.fml}, {dr2.title}\n{~dept}, {fac}\n", "The Consultant {~dept}\n{fac}\n"]))
    d.t("\n" + r.choice(["Dear Dr {dr2.last},\n\n", "Dear Colleague,\n\n", "Dear Dr. {dr2.last}\n\n"]))
    d.t(r.choice(["Re: {pt}, DOB {dob}, {mrnlab} {mrn}\n", "RE: {pt.FULL} (DOB: {dob.num})\n{addr}, {town} {zip}\n",
                  "Re: {hon} {pt.fml} — {dob} — NHS {nhs}\n" if loc == "en_GB" else "Re: {hon} {pt.fml} — {dob} — {hplab} {hp}\n",
                  "Patient: {pt.Lf}; born {dob.long}; tel {mob}\n"]))
    d.t("\n")
    B = ["Thank you for seeing this {age}-year-old {sexw} who [lives|lives alone|lives with {his} {rel.role}] in {town}.",
         "I would be grateful for your opinion on {his} {~dx}.", "{He} was seen in the practice on {d1} and again on {d2.dm}.",
         "{hon} {pt.last} is {age.w} and remains [remarkably independent|frail but cheerful|quite breathless].",
         "{His} {rel.role} {rel.first} attends appointments with {him} and can be reached on {mob}.",
         "Relevant history includes {~hx} and {~hx}.", "Current medication: {~drug}; {~drug}.", "{~lab}.",
         "{He} was previously under Dr {dr3.last} at {fac2} until {prev.year}.", "I have enclosed the recent results.",
         "Please note {he} is hard of hearing; {his} {rel.role} prefers contact by e-mail ({email3}).",
         "{He} moved to the area from {town3} last year.", "{He} would prefer appointments at {fac2} if possible.",
         "Interpreter needed ([Polish|Urdu|Tamil|Vietnamese|Punjabi|Cantonese]); last interpreter was {int}.",
         "{His} {natlab} is {ssn} should you need it for the benefits form.", "You can reach our secretary, {staff.first}, on {fac_phx}.",
         "The e-referral reference is {ref}.", "Driving: {he} still drives (reg {plate}) and I have advised {him} to stop."]
    sents(d, B, r.randint(4, 8), sep=r.choice([" ", "\n\n"]))
    d.t("\n\n" + r.choice(["Yours sincerely,", "Kind regards,", "With thanks,", "Yours faithfully,", "Best wishes,"]) + "\n\n\n")
    d.t(r.choice(["Dr {dr.fml}\n{dr.title}\n", "{dr}, {dr.title}\n", "Dr {dr}\n{gpw^}\n"]))
    d.t(r.choice(["{liclab} {lic}\n", "", "Dictated {sigd.num}, not signed\n", "cc: {pt}, {addr}, {town}\n"]))


LABTESTS = [("Sodium", "mmol/L", 133, 146, 0), ("Potassium", "mmol/L", 3.5, 5.3, 1), ("Creatinine", "umol/L", 45, 110, 0),
            ("Urea", "mmol/L", 2.5, 7.8, 1), ("Glucose", "mmol/L", 3.9, 7.8, 1), ("Haemoglobin", "g/L", 115, 165, 0),
            ("WBC", "x10^9/L", 4.0, 11.0, 1), ("Platelets", "x10^9/L", 150, 400, 0), ("CRP", "mg/L", 0, 5, 0),
            ("ALT", "U/L", 7, 40, 0), ("Bilirubin", "umol/L", 0, 21, 0), ("TSH", "mIU/L", 0.4, 4.0, 2),
            ("HbA1c", "mmol/mol", 20, 41, 0), ("INR", "", 0.8, 1.2, 1), ("Troponin T", "ng/L", 0, 14, 0),
            ("Ferritin", "ug/L", 30, 400, 0), ("Vitamin B12", "ng/L", 180, 900, 0), ("eGFR", "mL/min/1.73m2", 60, 120, 0)]


def lab_table(d, r):
    tests = r.sample(LABTESTS, r.randint(5, 11))
    d.add(_col("TEST", 16) + _col("RESULT", 10) + _col("FLAG", 6) + _col("UNITS", 14) + "REF RANGE\n")
    for name, unit, lo, hi, dec in tests:
        v = r.uniform(lo * 0.6, hi * 1.5 if hi else 10)
        vs = f"{v:.{dec}f}"
        flag = "H" if v > hi else ("L" if v < lo else "")
        d.add(_col(name, 16) + _col(vs, 10) + _col(flag, 6) + _col(unit, 14) + f"{lo}-{hi}\n")


def k_lab(d, c, r, phi, loc):
    if not phi:
        d.t(r.choice(["QC SUMMARY — CHEMISTRY ANALYSER\n", "Internal quality control log\n", "Daily QC sheet\n"]))
        d.t("Analyser: [cobas c 502|Architect ci8200|AU680|Atellica CH]   Shift: [AM|PM|night]   Software {~ver}\n\n")
        d.add(_col("ANALYTE", 14) + _col("LEVEL", 7) + _col("MEAN", 8) + _col("SD", 7) + _col("RESULT", 9) + "RULE\n")
        for _ in range(r.randint(5, 10)):
            nm, unit, lo, hi, dec = r.choice(LABTESTS)
            m = (lo + hi) / 2 or 1
            d.add(_col(nm[:13], 14) + _col(str(r.randint(1, 3)), 7) + _col(f"{m:.{dec}f}", 8) + _col(f"{m * 0.03:.2f}", 7)
                  + _col(f"{m * r.uniform(0.93, 1.07):.{dec}f}", 9) + r.choice(["ok", "ok", "ok", "1-2s warn", "2-2s reject", "R-4s"]) + "\n")
        d.t("\nAction: [none required|recalibrated and rerun, within limits|reagent lot changed, QC repeated]. Reviewed by the lab supervisor at {~time}.\n")
        return
    d.t(r.choice(["{facl^}\nLABORATORY REPORT\n", "{facl} — Clinical Chemistry / Haematology\n", "LAB RESULTS  {facl}\n"]))
    d.t(r.choice(["Patient: {pt.LF}    {mrnlab}: {mrn}    DOB: {dob}  Sex: {sex1}\n", "Name {pt.Lf} | DOB {dob.num} | Age {age} | {mrnlab} {mrn}\n",
                  "PATIENT........ {pt.LF}\nDOB............ {dob}\nID............. {mrn}\n"]))
    d.t(r.choice(["Specimen: {spec}   Accession: {acc}\n", "Accession {acc} (specimen {spec})\n", "Spec ID {spec}\n"]))
    d.t("Collected: {coll} {~time}   Received: {coll.md} {~time}\n")
    d.t(r.choice(["Ordering: Dr {dr}   Location: {~room}\n", "Requested by {dr.init} ({fac})\n", "Ordering provider: {dr.Lf}, NPI {npi}\n" if loc == "en_US" else "Requesting clinician: Dr {dr.last}\n"]))
    d.t("\n")
    lab_table(d, r)
    d.t("\n" + r.choice(["Comment: [haemolysed sample, K may be falsely raised|result phoned to ward|please repeat in 1 week].",
                         "Critical value phoned to {rn} at {~time} on {coll.md}, read back confirmed.",
                         "Previous result {prev.md}: see cumulative report.", "Comment: specimen {spec} ({pt}) received unlabelled, relabelled per policy."]))
    d.t("\nVerified by: {tech}, [MLS(ASCP)|BMS|MLT|Sr. Technologist]  {today.short} {~time}\n")


def k_radiology(d, c, r, phi, loc):
    exam = r.choice(["CT HEAD WITHOUT CONTRAST", "CHEST X-RAY PA/LAT", "MRI LUMBAR SPINE", "US ABDOMEN", "CT PULMONARY ANGIOGRAM",
                     "XR LEFT HIP 2 VIEWS", "CT ABDOMEN/PELVIS WITH CONTRAST", "MRI BRAIN WITH AND WITHOUT GADOLINIUM", "DEXA SCAN"])
    d.add(exam + "\n")
    if phi:
        d.t(r.choice(["Patient: {pt.Lf}   DOB: {dob}   {mrnlab}: {mrn}\nAccession: {acc}   Exam date: {d1}\n",
                      "{pt.LF} | {mrn} | Acc# {acc} | {d1.mon} {~time}\n", "Name: {pt}\nAge: {age}\nAccession No.: {acc}\nDate of exam: {d1.long}\n"]))
        d.t(r.choice(["Referring: Dr {dr2}, {facc}\n", "Requested by {dr2.init} ({~dept})\n", "Ordering physician: {dr2.Lf}\n"]))
    d.t("\nCLINICAL HISTORY: [Fall|Headache|Cough|Back pain|Abdominal pain|Suspected PE], {~dx}.\n")
    d.t("TECHNIQUE: [Standard protocol.|Axial images with coronal reformats.|Single view.|Low-dose protocol, DLP {#200-900} mGy·cm.]\n")
    if phi:
        d.t(r.choice(["COMPARISON: {prev}.\n", "COMPARISON: Prior study at {fac2} dated {prev.num}.\n", "COMPARISON: None.\n"]))
    else:
        d.t("COMPARISON: [None.|Prior study from {~yr}.|Outside films not available.]\n")
    F = ["No acute intracranial haemorrhage.", "Small vessel ischaemic change.", "Right lower lobe consolidation.", "No pneumothorax.",
         "Degenerative disc disease L4-5 with mild canal stenosis.", "Gallbladder contains multiple calculi; CBD 6 mm.",
         "Filling defect in the right lower lobe segmental artery.", "Minimally displaced intertrochanteric fracture.",
         "Cardiomegaly with small bilateral effusions.", "T-score -2.7 at the femoral neck.", "Foley catheter balloon in bladder.",
         "Whipple anatomy noted.", "Sternotomy wires intact.", "Pacemaker leads in satisfactory position."]
    d.t("\nFINDINGS:\n")
    sents(d, F, r.randint(2, 5), sep="\n")
    if not phi or r.random() < 0.3:
        d.t("\n")
        sents(d, NEG, r.randint(1, 2))
    d.t("\n\nIMPRESSION:\n1. {~dx}.\n2. [No acute findings otherwise.|Recommend follow-up in 3 months.|Clinical correlation advised.]\n")
    if phi:
        d.t(r.choice(["\nDictated by: {rad}, MD\nSigned: {sigd} {~time}\n", "\n{rad.fml}, {rad.title} — Consultant Radiologist — {sigd.num}\n",
                      "\nReported by Dr {rad.last}. Result discussed with Dr {dr2.last} by phone ({ph}) at {~time}.\n"]))
    else:
        d.t("\nReported by the duty radiologist.\n")


def csv_q(v, delim):
    if delim in v or '"' in v:
        return '"' + v.replace('"', '""') + '"'
    return v


def k_csv(d, c, r, phi, loc):
    delim = r.choice([",", ",", ",", ";", "\t", "|"])
    if not phi:
        variant = r.choice(["ward", "drug", "dx"])
        if variant == "ward":
            cols = ["year", "ward", "admissions", "mean_los_days", "readmit_30d_pct", "falls", "median_age"]
            d.add(delim.join(cols) + "\n")
            for _ in range(r.randint(5, 12)):
                row = [str(r.randint(2018, 2025)), r.choice(["7B", "AMU", "CCU", "Ward 12", "ICU", "4 North", "Elderly Care"]),
                       str(r.randint(80, 2400)), f"{r.uniform(2, 12):.1f}", f"{r.uniform(3, 22):.1f}", str(r.randint(0, 40)), str(r.randint(45, 84))]
                d.add(delim.join(row) + "\n")
        elif variant == "drug":
            cols = ["drug", "strength", "form", "ndc", "units_dispensed", "cost_per_unit"]
            d.add(delim.join(cols) + "\n")
            for _ in range(r.randint(5, 12)):
                nm, st = r.choice([("metformin", "500 mg"), ("apixaban", "5 mg"), ("oxycodone/APAP", "5/325 mg"), ("atorvastatin", "40 mg"),
                                   ("carbidopa/levodopa", "25/100 mg"), ("amoxicillin", "500 mg"), ("insulin glargine", "100 U/mL"), ("furosemide", "40 mg")])
                row = [nm, st, r.choice(["tab", "cap", "pen", "vial"]), f"{r.choice(['0093', '00378', '0781'])}-{r.randint(1000, 9999)}-{r.randint(10, 99)}",
                       str(r.randint(100, 90000)), f"{r.uniform(0.02, 40):.2f}"]
                d.add(delim.join(csv_q(x, delim) for x in row) + "\n")
        else:
            cols = ["icd10", "description", "cases", "pct_over_65", "mean_age"]
            d.add(delim.join(cols) + "\n")
            for code, desc in r.sample([("I50.9", "Heart failure, unspecified"), ("J18.9", "Pneumonia, unspecified"), ("G20", "Parkinson disease"),
                                        ("K50.90", "Crohn's disease, unspecified"), ("C81.90", "Hodgkin lymphoma, unspecified"), ("N39.0", "UTI"),
                                        ("E11.9", "Type 2 diabetes"), ("I48.91", "Atrial fibrillation"), ("F03.90", "Dementia"), ("R55", "Syncope")], r.randint(5, 9)):
                d.add(delim.join([code, csv_q(desc, delim), str(r.randint(5, 3000)), f"{r.uniform(10, 95):.1f}", str(r.randint(30, 84))]) + "\n")
        return
    variant = r.choice(["patient", "visit", "billing"])
    ZIPH = {"en_US": "zip", "en_GB": "postcode", "en_CA": "postal_code", "en_AU": "postcode", "en_IN": "pincode"}[loc]
    if variant == "patient":
        cols = r.choice([["mrn", "last_name", "first_name", "dob", "sex", "address", "city", "state", ZIPH, "phone"],
                         ["patient_id", "name", "dob", "age", "town", ZIPH, "mobile", "email"],
                         ["MRN", "PATIENT", "DOB", "ADDRESS", "CITY", ZIPH.upper(), "NOK", "NOK_PHONE"]])
    elif variant == "visit":
        cols = r.choice([["visit_id", "mrn", "admit_date", "discharge_date", "unit", "attending", "dx_code"],
                         ["encounter", "patient", "date", "clinic", "provider", "npi" if loc == "en_US" else "provider_reg", "reason"]])
    else:
        cols = r.choice([["account", "claim_id", "mrn", "payer", "member_id", "dos", "amount"],
                         ["acct_no", "patient_name", "dob", "insurer", "policy_no", "group_no", "balance"]])
    d.add(delim.join(cols) + "\n")
    for i in range(r.randint(3, 8)):
        c2 = Cast(r, loc, c.fakers)
        c2.used_names = c.used_names
        cells = []
        for h in cols:
            hl = h.lower()
            if hl in ("mrn", "patient_id"):
                cells.append((c2.get("mrn")[0], "MRN"))
            elif hl == "last_name":
                cells.append((c2.pform("pt", "last"), "NAME"))
            elif hl == "first_name":
                cells.append((c2.pform("pt", "first"), "NAME"))
            elif hl in ("name", "patient", "patient_name"):
                cells.append((c2.pform("pt", r.choice(["LF", "Lf", "full", "full"]) if hl != "patient" else r.choice(["LF", "full"])), "NAME"))
            elif hl in ("dob",):
                cells.append((c2.dform(c2.date("dob"), r.choice(["num", "iso", "iso", "short"])), "DATE"))
            elif hl in ("admit_date", "date", "dos"):
                cells.append((c2.dform(c2.date("adm"), r.choice(["num", "iso"])), "DATE"))
            elif hl == "discharge_date":
                cells.append((c2.dform(c2.date("dis"), r.choice(["num", "iso"])), "DATE"))
            elif hl == "sex":
                cells.append((c2.sex, None))
            elif hl == "age":
                a = c2.age
                cells.append((str(a), "AGE" if a > 89 else None))
            elif hl == "address":
                cells.append((c2.get("addr")[0], "ADDRESS"))
            elif hl in ("city", "town"):
                cells.append((c2.get("town")[0], "LOCATION"))
            elif hl == "state":
                cells.append((c2.get("state")[0], None))
            elif hl == ZIPH.lower():
                cells.append((c2.get("zip")[0], "ZIP"))
            elif hl in ("phone", "mobile", "nok_phone"):
                cells.append((c2.get("mob" if hl == "mobile" else "ph")[0], "PHONE"))
            elif hl == "email":
                cells.append((c2.get("email")[0], "EMAIL"))
            elif hl == "nok":
                cells.append((c2.pform("rel", r.choice(["full", "Lf"])), "NAME"))
            elif hl in ("visit_id", "encounter"):
                cells.append((c2.get("enc")[0], "ID"))
            elif hl == "unit":
                cells.append((r.choice(["4W", "CCU", "ICU", "Ward 7B", "MAU", "ED"]), None))
            elif hl in ("attending", "provider"):
                cells.append((c2.pform("dr", r.choice(["LF", "Lf", "init"])), "NAME"))
            elif hl in ("npi",):
                cells.append((c2.get("npi")[0], "LICENSE"))
            elif hl == "provider_reg":
                cells.append((c2.get("lic")[0], "LICENSE"))
            elif hl in ("dx_code",):
                cells.append((r.choice(FILL["icd"]), None))
            elif hl == "reason":
                cells.append((r.choice(["follow-up", "BP check", "wound review", "INR", "med review", "new patient"]), None))
            elif hl == "clinic":
                cells.append((c2.get("facc")[0], "FACILITY"))
            elif hl in ("account", "acct_no"):
                cells.append((c2.get("acct")[0], "ACCOUNT"))
            elif hl == "claim_id":
                cells.append((c2.get("claim")[0], "ID"))
            elif hl in ("payer", "insurer"):
                cells.append((r.choice(FILL["insurer"]), None))
            elif hl in ("member_id", "policy_no"):
                cells.append((c2.get("hp")[0], "HEALTH_PLAN"))
            elif hl == "group_no":
                cells.append((c2.get("grp")[0], "HEALTH_PLAN"))
            elif hl in ("amount", "balance"):
                cells.append((f"{r.uniform(20, 9000):.2f}", None))
            else:
                raise KeyError(h)
        for j, (v, t) in enumerate(cells):
            if j:
                d.add(delim)
            if delim in v or '"' in v:
                d.add('"')
                d.add(v.replace('"', '""'), t)
                d.add('"')
            else:
                d.add(v, t)
        d.add("\n")


def k_json(d, c, r, phi, loc):
    ind = r.choice([None, 2, 2, 4])
    def emit(obj, level=0):
        # obj: list of (key, value) with value a (str, type, is_number) tuple, a nested list of pairs, or a list of such
        nl = "\n" if ind else ""
        pad = " " * (ind * (level + 1)) if ind else ""
        endpad = " " * (ind * level) if ind else ""
        if isinstance(obj, tuple) and obj and obj[0] == "__list__":
            items = obj[1]
            d.add("[" + nl)
            for i, it in enumerate(items):
                d.add(pad)
                emit(it, level + 1)
                d.add(("," if i < len(items) - 1 else "") + nl)
            d.add(endpad + "]")
            return
        if isinstance(obj, list):
            d.add("{" + nl)
            for i, (k, v) in enumerate(obj):
                d.add(pad + json.dumps(k) + (": " if ind or r.random() < 0.5 else ":"))
                emit(v, level + 1)
                d.add(("," if i < len(obj) - 1 else "") + nl)
            d.add(endpad + "}")
            return
        s, t, num = obj
        if num:
            d.add(s, t)
        else:
            d.add('"')
            d.add(json.dumps(s, ensure_ascii=False)[1:-1], t)
            d.add('"')
    if not phi:
        items = []
        for _ in range(r.randint(3, 6)):
            nm, st = r.choice([("apixaban", "5 mg"), ("oxycodone/acetaminophen", "5/325 mg"), ("carbidopa/levodopa", "25/100 mg"),
                               ("metformin", "1000 mg"), ("sertraline", "50 mg"), ("enoxaparin", "40 mg/0.4 mL"), ("ramipril", "2.5 mg")])
            items.append([("drug", (nm, None, False)), ("strength", (st, None, False)),
                          ("ndc", (f"{r.choice(['0093', '00378'])}-{r.randint(1000, 9999)}-{r.randint(10, 99)}", None, False)),
                          ("tier", (str(r.randint(1, 5)), None, True)), ("prior_auth", (r.choice(["true", "false"]), None, True)),
                          ("max_daily_units", (str(r.randint(1, 8)), None, True))])
        emit([("formulary", (f"{r.choice(['Adult inpatient', 'Community', 'Oncology'])} formulary", None, False)),
              ("version", (f"{r.randint(2018, 2025)}.{r.randint(1, 4)}", None, False)), ("items", ("__list__", items))])
        d.add("\n")
        return
    zipnum = loc in ("en_AU", "en_IN") and r.random() < 0.5
    zk = r.choice({"en_US": ["zip", "zipCode", "postal"], "en_GB": ["postcode", "post_code"], "en_CA": ["postalCode", "postal_code"],
                   "en_AU": ["postcode", "pcode"], "en_IN": ["pin", "pincode", "postcode"]}[loc])
    z = c.get("zip")[0]
    if zipnum:
        z = z.replace(" ", "").lstrip("0") or "800"
    def P(k, key, num=False):
        s, t = c.get(key)
        return (k, (s, t, num))
    pt = [("resourceType", ("Patient", None, False))] if r.random() < 0.3 else []
    pt += [P("mrn", "mrn"), ("name", [("family", (c.pform("pt", "last"), "NAME", False)), ("given", (c.pform("pt", "first"), "NAME", False))])
           if r.random() < 0.5 else ("name", (c.pform("pt", r.choice(["full", "LF"])), "NAME", False)),
           ("dob", (c.dform(c.date("dob"), r.choice(["iso", "iso", "num"])), "DATE", False)), ("sex", (c.sex, None, False))]
    if r.random() < 0.5:
        a = c.age
        pt.append(("age", (str(a), "AGE" if a > 89 else None, True)))
    addr = [P("line", "addr"), P("city", "town"), ("state", (c.get("state")[0], None, False)), (zk, (z, "ZIP", zipnum))]
    pt.append(("address", addr))
    opt = [P("phone", "ph"), P("email", "email"), ("nok", [P("name", "rel"), ("relationship", (c.get("rel.role")[0], None, False)), P("phone", "mob")]),
           P(r.choice(["ssn", "nationalId"]), "ssn"), P("insuranceId", "hp"), P("account", "acct"), P("portalUser", "user"), P("lastLoginIp", "ip"),
           P("biometricTemplate", "bio"), P("vehiclePlate", "plate"), P("portalUrl", "url"), P("deviceSerial", "dev")]
    pt += r.sample(opt, r.randint(2, 5))
    enc = []
    for i in range(r.randint(1, 3)):
        k = f"d{i + 1}"
        enc.append([P("encounterId", f"enc{i + 1}"), ("date", (c.dform(c.date(k), r.choice(["iso", "num"])), "DATE", False)),
                    ("facility", (c.get("fac" if i == 0 else "facc")[0], "FACILITY", False)),
                    ("provider", (c.pform("dr", r.choice(["full", "Lf"])), "NAME", False)), ("room", (r.choice(["4B", "12", "Bay 3", "ICU-7"]), None, False)),
                    ("dx", (r.choice(FILL["icd"]), None, False))])
    pt.append(("encounters", ("__list__", enc)))
    emit(pt)
    d.add("\n")


def k_hl7(d, c, r, phi, loc):
    sep = r.choice(["\n", "\r\n", "\n", "\r"])
    ts = c.dform(c.today, "ts")
    d.add(f"MSH|^~\\&|{r.choice(['EPIC', 'CERNER', 'MEDITECH', 'TRAKCARE', 'ADTAPP'])}|{r.choice(['HOSP', 'RMC', 'GH01', 'NHSFT', 'MAIN'])}|"
          f"{r.choice(['LAB', 'RIS', 'EMPI', 'HIE'])}|{r.choice(['HOSP', 'REG', 'DW'])}|")
    d.add(ts, "DATE")
    msg = r.choice(["ADT^A01", "ADT^A04", "ADT^A08", "ORU^R01", "ORM^O01", "ADT^A03"])
    d.add(f"||{msg}|{pat(r, r.choice(['MSG#####', '########', 'Q#######']))}|P|2.{r.choice(['3', '4', '5.1'])}" + sep)
    d.add("EVN|" + msg.split("^")[1] + "|")
    d.add(ts, "DATE")
    d.add(sep)
    d.add("PID|1||")
    d.v("mrn")
    d.add(f"^^^{r.choice(['HOSP', 'MRN', 'MR'])}^MR")
    if loc == "en_GB" and r.random() < 0.6:
        d.add("~")
        d.v("nhs")
        d.add("^^^NHS^NH")
    d.add("||")
    d.v("pt.hl7")
    d.add("||")
    d.v("dob.hl7")
    d.add(f"|{c.sex}|||")
    d.v("addr")
    d.add("^^")
    d.v("town")
    d.add("^" + c.get("state")[0] + "^")
    d.v("zip")
    d.add("^" + {"en_US": "USA", "en_GB": "GBR", "en_CA": "CAN", "en_AU": "AUS", "en_IN": "IND"}[loc] + "||")
    d.v("ph")
    d.add("|")
    if r.random() < 0.5:
        d.v("mob")
    d.add(f"||{r.choice(['M', 'S', 'W', 'D'])}||")
    d.v("acct")
    d.add("|")
    if r.random() < 0.6:
        d.v("ssn")
    d.add("|||" + sep)
    if r.random() < 0.8:
        d.add("NK1|1|")
        d.v("rel.hl7")
        d.add("|" + c.get("rel.role")[0].upper()[:3] + "|")
        if r.random() < 0.5:
            d.v("addr2")
            d.add("^^")
            d.v("town2")
            d.add("^^")
            d.v("zip2")
        d.add("|")
        d.v("mob2")
        d.add("|" + sep)
    d.add(f"PV1|1|{r.choice(['I', 'O', 'E'])}|{r.choice(['ICU^31^1', 'W7B^12^2', 'ED^04^1', 'CCU^5^1', 'MED^410^B'])}^"
          f"{r.choice(['HOSP', 'MAIN', 'GH01'])}||||")
    d.v("npi" if loc == "en_US" else "lic")
    d.add("^")
    d.v("dr.hl7")
    d.add(f"^^^{r.choice(['MD', 'DR', 'MBBS'])}|||{r.choice(['MED', 'SUR', 'CAR'])}|||||||||")
    d.v("enc")
    d.add("|||||||||||||||||||||||||")
    d.v("adm.ts")
    d.add(sep)
    if r.random() < 0.6:
        d.add("IN1|1|" + pat(r, "###") + "|" + pat(r, "#####") + "|" + r.choice(FILL["insurer"]) + "||||")
        d.v("grp")
        d.add("||||||||")
        d.v("pt.hl7b")
        d.add("|SEL|")
        d.v("dob.hl7")
        d.add("||||||||||||||||||")
        d.v("hp")
        d.add(sep)
    if msg.startswith("OR"):
        d.add("OBR|1|")
        d.v("order")
        d.add("|")
        d.v("acc")
        d.add(f"|{r.choice(['24323-8^CMP^LN', '58410-2^CBC^LN', '2345-7^GLU^LN', '4548-4^HBA1C^LN'])}|||")
        d.v("coll.ts")
        d.add("|||||||||")
        d.v("npi2" if loc == "en_US" else "lic2")
        d.add("^")
        d.v("dr2.hl7")
        d.add(sep)
        for i, (code, nm, unit, lo, hi, dec) in enumerate(r.sample([("2951-2", "Sodium", "mmol/L", 133, 146, 0), ("2823-3", "Potassium", "mmol/L", 3.5, 5.3, 1),
                                                                   ("2160-0", "Creatinine", "mg/dL", 0.6, 1.3, 2), ("718-7", "Hemoglobin", "g/dL", 11.5, 16.5, 1),
                                                                   ("2345-7", "Glucose", "mg/dL", 70, 140, 0), ("4548-4", "HbA1c", "%", 4, 5.6, 1)], r.randint(2, 5))):
            v = r.uniform(lo * 0.7, hi * 1.4)
            d.add(f"OBX|{i + 1}|NM|{code}^{nm}^LN||{v:.{dec}f}|{unit}|{lo}-{hi}|{'H' if v > hi else ('L' if v < lo else 'N')}|||F" + sep)
    if r.random() < 0.3:
        d.add("NTE|1||")
        d.t(r.choice(["Pt prefers contact via {rel.role} {rel.first}", "Interpreter required; pt from {town3}", "Allergy to penicillin; see {~dept} note",
                      "Called {mob2} re results on {d2.md}"]))
        d.add(sep)


def k_email(d, c, r, phi, loc):
    direction = r.choice(["p2c", "c2p", "c2c", "r2c"])
    if direction == "p2c":
        frm, to = "{pt} <{email}>", "{dr} <{email2}>"
    elif direction == "c2p":
        frm, to = "{dr.fml} <{email2}>", "{email}"
    elif direction == "r2c":
        frm, to = "{rel} <{email3}>", "{facc} reception <{email4}>"
    else:
        frm, to = "{dr} <{email2}>", "{staff} <{email4}>"
    d.t("From: " + frm + "\nTo: " + to + "\n")
    if r.random() < 0.4:
        d.t("Cc: {rn} <{email5}>\n" if False else "Cc: {staff}\n")
    d.t("Date: {today.wd}, " + r.choice(["{today.abbr} {~time}", "{today.num} {~time}", "{today.long}"]) + "\n")
    subj = {"p2c": ["Question about my tablets", "Re: appointment on {fu.md}", "my mum {pt.first}", "Test results?", "sick note",
                    "Fwd: letter from {fac}"],
            "c2p": ["Your recent results", "Follow-up appointment {fu.abbr}", "Re: Question about my tablets", "Referral update"],
            "r2c": ["About my {rel.role}, {pt}", "Re: {pt.Lf} DOB {dob}", "Urgent - dad's meds", "please call me"],
            "c2c": ["Re: {pt.Lf} ({mrn})", "Handover - {pt.init}", "Referral: {pt} {dob.num}", "URGENT: bed request, {age} y/o"]}[direction]
    d.t("Subject: " + r.choice(subj) + "\n\n")
    if direction == "p2c":
        d.t(r.choice(["Dear Dr {dr.last},\n\n", "Hi Dr. {dr.last}\n\n", "Hello,\n\n"]))
        B = ["I was seen by you on {d1.md} and was told to email if the swelling got worse.", "My {rel.role} {rel.first} says I should ask about the {~drug}.",
             "I am now {age} so I don't want anything too drastic.", "Could the prescription go to {facp} on {addr2} instead?",
             "I have moved to {addr}, {town} {zip}, please update your records.", "My new number is {mob}.",
             "My {hplab} is {hp} if you need it for the form.", "The hospital number on my letter is {mrn}.",
             "I can't make {fu.wd} the {fu.ord}, could we do {d4.md} afternoon?", "I'm back from {town2} on the {d3.ord}."]
        sents(d, B, r.randint(2, 5), sep=r.choice([" ", "\n\n"]))
        d.t("\n\n" + r.choice(["Thanks,\n{pt.first}", "Regards\n{pt}\n{ph}", "Many thanks\n{pt.fml}\nDOB {dob}", "{pt}\nSent from my phone"]) + "\n")
    elif direction == "c2p":
        d.t(r.choice(["Dear {pt.first},\n\n", "Dear {hon} {pt.last},\n\n", "Hi {pt.first}\n\n"]))
        B = ["Your blood tests from {d1.md} are back and are mostly normal ({~lab}).", "Please book a follow-up for around {fu.dm}.",
             "I have sent a referral to Dr {dr2.last} at {fac2}.", "Your prescription for {~drug} has been sent to {facp}.",
             "You can also see results in the portal at {url}.", "If you need to speak to the nurse, call {fac_phx}.",
             "Please bring your {hplab} card ({hp}) to the next visit.", "Your {rel.role} {rel.first} called us too; we'll keep {rel.first} updated as you asked."]
        sents(d, B, r.randint(2, 5), sep=r.choice([" ", "\n\n"]))
        d.t("\n\n" + r.choice(["Kind regards,\nDr {dr}\n{facc}\n{fac_ph}", "Best,\n{dr.fml}, {dr.title}\n{facc} | {url2}", "{dr.init}\n{facc}, {addr2}, {town2}"]) + "\n")
        d.t("\nThis e-mail is confidential. If you received it in error please delete it.\n")
    elif direction == "r2c":
        d.t("Hello,\n\n")
        B = ["I'm writing about my {rel.role}... sorry, my [mother|father|gran|uncle] {pt} (born {dob.long}).", "{He} is {age.w} and lives at {addr}, {town}.",
             "{He} was discharged from {fac} on {dis.md} but nobody has told us about the follow-up.", "Can someone call me on {mob}? I work shifts.",
             "{His} hospital number is {mrn}.", "The carers from {fach} said the tablets changed.", "I am {his} power of attorney."]
        sents(d, B, r.randint(3, 6), sep=" ")
        d.t("\n\n{rel}\n{mob}\n")
    else:
        d.t(r.choice(["Hi {staff.first},\n\n", "{staff.first} -\n\n", "Dear all,\n\n"]))
        B = ["Could you find a bed for {pt} ({mrnlab} {mrn}), {age}, currently in {~room} in {~dept}?", "{He} came from {fach} in {town}.",
             "{His} {rel.role} {rel.first} is aware; number in notes ({ph}).", "Admitted {adm.md}, medically fit from {d2.md}.",
             "Please also chase the {~mfr} rep about pump S/N {dev}.", "Bloods: {~lab}.", "I'm on bleep {bleep} until {~time}."]
        sents(d, B, r.randint(3, 5), sep=" ")
        d.t("\n\nThanks\n{dr.first}\n" + r.choice(["{dr.title}, {~dept}\n", "Registrar, {fac}\n", "{fac} | {dr.title}\n"]))


def k_portal(d, c, r, phi, loc):
    d.t(r.choice(["PATIENT PORTAL — SECURE MESSAGE\n", "MyChart message\n", "Secure message (patient portal)\n", "Portal inbox export\n"]))
    d.t(r.choice(["User: {user}   Last login: {today.num} {~time} from {ip}\n", "Account: {user} | IP {ip} | Device: [iPhone|Android|Windows|Mac]\n",
                  "Login name: {user}\nSession IP: {ip}\n", "From user {user} ({pt}) via {url}\n"]))
    d.t(r.choice(["Patient: {pt} | DOB {dob} | {mrnlab} {mrn}\n", "Patient: {pt.Lf} ({mrn})\n", "Regarding: {pt}\n"]))
    d.t("Sent: {today.wd} {today} {~time}\nSubject: [Refill request|Question|Side effects|Appointment|Form for work|Results question]\n\n")
    B = ["hi, this is {pt.first}. i've been feeling [dizzy|tired|sick] since the new {~drug}.", "I'm {age} and my {rel.role} {rel.first} helps me type this.",
         "can you send the refill to {facp}? not the one in {town}.", "My address changed to {addr}, {town2} {zip}.", "call me on {mob} after 3pm please",
         "I was at the ER at {fac} on {d1.md} - they said to follow up with you.", "my insurance id is {hp}.", "the pump serial on the back says {dev}",
         "I can't log in on my other account {user2}, can you merge them?", "my son {rel2.first} will pick up the prescription.",
         "is it ok to take {~drug} with this?", "I need a letter for my employer for {d2.md} - {d3.md}.",
         "the app asked me to re-enrol my fingerprint, it says template {bio} expired", "my {natlab} is {ssn} if you need it for the disability form"]
    sents(d, B, r.randint(2, 5), sep=r.choice([" ", "\n"]))
    d.t("\n\n--- Reply ---\n")
    d.t(r.choice(["From: {rn}, RN ({facc})\n", "From: Dr {dr.last}'s office\n", "From: {dr} {dr.title}\n"]))
    R = ["Hi {pt.first}, thanks for your message.", "I've sent the refill to {facp}.", "Please stop the {~drug} and we'll review on {fu.md}.",
         "We've updated your address.", "If symptoms worsen, call {fac_ph} or go to the nearest emergency department.", "I spoke with Dr {dr2.last} about this.",
         "Your next appointment is {fu.wd} {fu.abbr} at {~time}.", "Please don't share your login ({user}) with anyone."]
    sents(d, R, r.randint(2, 4), sep=" ")
    d.t("\n")


def k_call(d, c, r, phi, loc):
    d.t(r.choice(["CALL TRANSCRIPT\n", "Telephone encounter — transcript\n", "Nurse advice line recording (auto-transcribed)\n", "Call log\n"]))
    d.t(r.choice(["Call ref: {callref}   Date: {today}   Time: {~time}\n", "Ref {callref} | {today.abbr} {~time} | Agent {agent.first}\n",
                  "{today.num} {~time} inbound, ref {callref}\n"]))
    d.t("\n")
    A = r.choice(["AGENT", "Agent", "Nurse", "CALL HANDLER", "Receptionist", "RN"])
    P = r.choice(["CALLER", "Caller", "Patient", "PT", "Pt"])
    turns = [
        (A, "[Good morning|Hello|Thanks for calling], {facc}, this is {agent.first}, how can I help?"),
        (P, "[Hi|Hello|Yeah hi], it's {pt} [calling about my results|I need a repeat prescription|I've got a question about my mum|I had a fall]."),
        (A, "[No problem|Sure|OK]. Can I take your date of birth?"),
        (P, r.choice(["It's {dob.long}.", "{dob.ordy}.", "{dob.num}.", "Um... {dob.ordy}."])),
    ]
    qa = r.choice([("And the first line of your address?", ["{addr}.", "It's {addr}, {town}.", "{addr}, that's in {hood}."]),
                   ("And your {zipw}?", ["{zip}.", "It's {zip}.", "Um... {zip}, I think."]),
                   ("And can you confirm your address?", ["{addr}, {town}.", "It's {addr}. In {town}. {zip}.", "{addr}, {town}, {state} {zip}."])])
    turns += [
        (A, qa[0]),
        (P, r.choice(qa[1])),
    ]
    if loc == "en_US" and r.random() < 0.6:
        turns += [(A, "And the last four of your social?"), (P, "{ssn4}.")]
    elif r.random() < 0.5:
        turns += [(A, "[Do you have your|Can I have your] {hplab}?"), (P, "Yes, it's {hp}.")]
    extra = [
        (P, "I'm {age}, you know, I don't hear so well on the phone."),
        (P, "My {rel.role} {rel.first} normally rings for me. {rel.first}'s number is {mob}."),
        (A, "I can see you were at {fac} on {adm.md}."), (P, "Yes, from the {adm.ord} to the {dis.ord}."),
        (A, "Which pharmacy do you use?"), (P, "{facp}, the one near {town2}."),
        (A, "Is {mob} still the best number?"), (P, "No, use {ph}, that's the landline."),
        (A, "I'll send a message to Dr {dr.last} and she'll call you back."), (P, "Thanks, {agent.first}."),
        (A, "Your reference number is {callref}."), (P, "Can you email it to {email}?"),
        (A, "The on-call GP, Dr {dr2.last}, will ring before {~time}."), (P, "Are they still at {addr2}?"),
        (A, "The system matched your voiceprint, reference {bio}."), (P, "Oh, good."),
        (A, "Can you confirm your {natlab}?"), (P, "{ssn}."),
        (A, "Is that the car park at {fac}? What's your registration?"), (P, "It's {plate}."),
    ]
    pairs = [extra[i:i + 2] for i in range(0, len(extra), 2)]
    for pr in r.sample(pairs, r.randint(2, len(pairs))):
        turns += pr
    turns.append((A, "[Anything else?|Is there anything else I can help with?|OK, take care.]"))
    style = r.choice(["colon", "bracket", "dash"])
    for sp, line in turns:
        pre = {"colon": f"{sp}: ", "bracket": f"[{sp}] ", "dash": f"{sp} - "}[style]
        d.t(pre + line + "\n")
    d.t("\n[Call ended {~time}.|Disposition: [routine callback|self-care advice|urgent GP review|ED advised].]\n")


def k_incident(d, c, r, phi, loc):
    typ = r.choice(["fall", "med", "ehr", "device", "carpark"])
    if not phi:
        d.t(r.choice(["PATIENT SAFETY BULLETIN (anonymised)\n", "Incident learning summary — de-identified\n", "Quarterly incident themes\n"]))
        B = {"fall": ["A patient in their 80s fell while mobilising to the bathroom at night.", "Morse fall score had been 55 on admission.", "Bed alarm was not switched on.",
                      "Learning: falls precautions to be rechecked at each handover."],
             "med": ["An extra dose of enoxaparin 40 mg was given because the MAR was not updated.", "No harm resulted; anti-Xa {%0.2-0.9}.", "Learning: double-check high-risk drugs."],
             "ehr": ["A staff member accessed a record without a care relationship.", "The audit tool flagged the access within 24 hours.", "Learning: annual privacy training refreshed."],
             "device": ["An infusion pump alarmed occlusion repeatedly; pump removed from service.", "Manufacturer notified; firmware {~ver}.", "No patient harm."],
             "carpark": ["A visitor slipped on ice in the multi-storey car park.", "Grit bins refilled; signage added.", "Minor injury treated in A&E."]}[typ]
        sents(d, B, len(B), sep="\n")
        d.t("\n")
        sents(d, NEG, r.randint(1, 3))
        d.t("\nSeverity: [no harm|low harm|moderate harm]. Reviewed at the {~dept} governance meeting. Form {~ver}.\n")
        return
    d.t(r.choice(["INCIDENT REPORT\n", "Incident Report Form\n", "Datix incident report\n" if loc == "en_GB" else "Safety event report\n", "RISKMAN incident\n" if loc == "en_AU" else "Occurrence report\n"]))
    d.t(r.choice(["Incident #: {inc}\n", "Incident no. {inc}   Reported: {today} {~time}\n", "Ref: {inc} | Date of event: {d1} | Location: {~dept}\n"]))
    d.t("Reporter: {staff} ([RN|HCA|Porter|Pharmacist|Security officer|Ward clerk])" + r.choice(["", ", ext {ext}", ", bleep {bleep}"]) + "\n\n")
    B = {"fall": ["At about {~time} on {d1.md} {pt} ({mrnlab} {mrn}), {age}, was found on the floor beside the bed in {~room}.",
                  "{He} said {he} was trying to reach {his} phone to call {his} {rel.role} {rel.first}.", "Witnessed by {wit}, HCA.",
                  "Dr {dr.last} reviewed at {~time}; no head injury, {~epon}.", "{rel.role} ({rel}) informed by phone at {~time} on {ph}."],
         "med": ["{pt.Lf} received {~drug} at {~time} intended for another patient in the same bay.", "Rx {rx} was verified by {phm}.",
                 "Prescriber Dr {dr} ({liclab} {lic}) informed.", "Patient DOB {dob} and {mrnlab} {mrn} were not checked against the wristband.",
                 "{He} is {age.w} and was monitored for 4 hours with no harm."],
         "ehr": ["User {user} accessed the record of {pt} ({mrn}) {#3-14} times between {d1.md} and {d2.md}.", "Access came from workstation IP {ip}.",
                 "The user is a relative ({rel.role}) of the patient and has no care role.", "Biometric badge log shows template {bio} at {~time}.",
                 "Privacy office ({staff2}) notified; patient informed by letter to {addr}, {town} {zip}."],
         "device": ["The [BD Alaris|Baxter Sigma|B. Braun Infusomat|Smiths CADD|ICU Medical Plum] infusion pump (serial {dev}) alarmed and stopped while running {~drug} for {pt}.", "UDI on the label: {udi}.",
                    "Pump quarantined by biomedical engineering ({tech}).", "Patient in {~room}, {age} y/o, no harm.", "Reported to the manufacturer on {d2.md}, ref {rep}."],
         "carpark": ["Visitor {wit} reported that a car, registration {plate}, reversed into {his} vehicle in the [staff|visitor|multi-storey] car park.",
                     "The driver, {drv}, gave licence number {dl}.", "The other vehicle's VIN was {vin}.",
                     "Security ({guard}) reviewed CCTV; incident occurred at {~time} on {d1}.", "{wit.first} was visiting a relative, {pt}, on {~dept}."]}[typ]
    sents(d, B, len(B) if r.random() < 0.5 else r.randint(3, len(B)), sep=r.choice([" ", "\n"]))
    d.t("\n\nImmediate action: [bed alarm applied|pharmacy review|account suspended|device removed from use|police informed].\nSeverity: [near miss|no harm|low harm].\n")
    d.t(r.choice(["Manager review: {mgr}, {d3.md}\n", "Signed {staff.init} {today.short}\n", ""]))


def k_consent(d, c, r, phi, loc):
    proc = r.choice(["Total knee replacement", "Colonoscopy with possible polypectomy", "Cataract extraction with IOL", "Coronary angiography +/- PCI",
                     "Blood transfusion", "Whipple procedure", "Permanent pacemaker insertion", "Lumbar puncture", "ECT course"])
    d.t(r.choice(["CONSENT FORM\n", "Consent to Treatment / Procedure\n", "INFORMED CONSENT — {fac}\n" if phi else "INFORMED CONSENT\n", "Patient agreement to investigation or treatment\n"]))
    if phi:
        d.t(r.choice(["Patient name: {pt}\nDate of birth: {dob}\n{mrnlab}: {mrn}\n", "Name: {pt.LF}   DOB: {dob.num}   ID: {mrn}\nAddress: {addr}, {town} {zip}\n",
                      "I, {pt.fml}, born {dob.long}, of {addr}, {town}, agree to the procedure below.\n"]))
    else:
        d.t("Patient name: ______________________\nDate of birth: ____ / ____ / ______\nHospital number: ______________\n")
    d.t("Procedure: " + proc + "\n\n")
    d.t("Risks discussed: [bleeding, infection, anaesthetic risks|perforation (1 in 1,000), bleeding|stroke, MI, contrast reaction|transfusion reaction, infection]. ")
    d.t("[Alternatives were explained.|The patient may withdraw consent at any time.|Leaflet {~ver} given.]\n\n")
    if phi:
        S = ["Patient signature: {pt.init}    Date: {sigd}\n", "Signed: {pt}   {sigd.num}\n", "Signed by {rel} ({rel.role}, lasting power of attorney) on {sigd}\n"]
        d.t(r.choice(S))
        d.t(r.choice(["Clinician: Dr {dr}, {dr.title}    Date: {sigd}\n", "Health professional: {dr.Lf} ({liclab} {lic})\n", "Consent taken by {dr.init}, bleep {bleep}\n"]))
        if r.random() < 0.5:
            d.t("Interpreter: {int} ([Hindi|Polish|Arabic|Mandarin|Tamil|Spanish]), [booking|job] ref {ref}\n" if r.random() < 0.4 else "Interpreter: {int}\n")
        if r.random() < 0.5:
            d.t("Witness: {wit}, {sigd.md}\n")
        if r.random() < 0.2:
            d.t("Biometric consent: fingerprint template {bio} captured for e-signature.\n")
        if r.random() < 0.3:
            d.t("Patient is {age}; capacity assessed and confirmed.\n")
    else:
        sents(d, NEG, r.randint(1, 3))
        d.t("\n\nPatient signature: ______________   Date: __________\nClinician signature: ______________   Date: __________\nInterpreter (if used): ______________\n")
        d.t("For patients aged 16 and over ({~ver}). ")


KIND_FUNS = {"discharge_summary": k_discharge, "nursing_note": k_nursing, "progress_note": k_progress,
             "history_physical": k_hp, "ems_run_report": k_ems, "pharmacy_log": k_pharmacy,
             "referral_letter": k_referral, "lab_report": k_lab, "radiology_report": k_radiology,
             "csv_export": k_csv, "json_export": k_json, "hl7_message": k_hl7, "email": k_email,
             "portal_message": k_portal, "call_transcript": k_call, "incident_report": k_incident,
             "consent_form": k_consent}


def pick_case(r, kind):
    x = r.random()
    if kind == "nursing_note":
        return "lower" if x < 0.40 else ("upper" if x < 0.45 else None)
    if kind in ("ems_run_report", "pharmacy_log"):
        return "upper" if x < 0.30 else ("lower" if x < 0.32 else None)
    if kind in ("csv_export", "json_export", "hl7_message"):
        return "upper" if x < 0.04 else None
    return "upper" if x < 0.05 else ("lower" if x < 0.07 else None)


def build(kind, loc, phi, seed, fakers, doc_id):
    for attempt in range(200):
        r = random.Random(seed * 1000 + attempt)
        for i, fk in enumerate(fakers.values()):
            fk.seed_instance(seed * 1000 + attempt + i)
        cast = Cast(r, loc, fakers, phi)
        d = Doc(r, cast, FILL)
        KIND_FUNS[kind](d, cast, r, phi, loc)
        case = pick_case(r, kind)
        ocr = r.random() < 0.10
        text, spans = finalize(d.segs, case, ocr, r)
        if phi and not spans:
            continue
        if not phi and spans:
            raise RuntimeError(f"no-PHI doc with spans: {doc_id}")
        if spans and repeat_problem(text, spans):
            continue
        rec = {"id": doc_id, "kind": kind, "locale": loc, "text": text, "spans": spans}
        check_doc(rec)
        return rec, attempt
    raise RuntimeError(f"could not build {doc_id}")


def main():
    fakers = {l: Faker(l) for l in FAKER_LOCALES}
    master = random.Random(MASTER_SEED)
    recs = []
    g = 0
    retries = 0
    for ki, kind in enumerate(KINDS):
        nophi = NOPHI_PER_KIND if kind in NOPHI_KINDS else 0
        flags = [False] * nophi + [True] * (DOCS_PER_KIND - nophi)
        master.shuffle(flags)
        for j, phi in enumerate(flags):
            loc = LOCALES[(ki + j) % len(LOCALES)]
            seed = master.randrange(1, 10 ** 6)
            rec, att = build(kind, loc, phi, seed, fakers, f"v4-{kind}-{j + 1:03d}")
            retries += att
            recs.append(rec)
            g += 1
    order = list(range(len(recs)))
    master.shuffle(order)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for i in order:
            f.write(json.dumps(recs[i], ensure_ascii=False) + "\n")
    print(f"wrote {len(recs)} documents to {OUT} (rebuilds after repeat check: {retries})", file=sys.stderr)
    write_stats(recs)


def write_stats(recs):
    """Rewrite the block between the stats markers in README.md (if the file exists)."""
    import collections
    import os
    if not os.path.exists("README.md"):
        return
    by_type, by_kind, by_loc = collections.Counter(), collections.Counter(), collections.Counter()
    dk, dl, nk = collections.Counter(), collections.Counter(), collections.Counter()
    for d in recs:
        dk[d["kind"]] += 1
        dl[d["locale"]] += 1
        if not d["spans"]:
            nk[d["kind"]] += 1
        for sp in d["spans"]:
            by_type[sp["type"]] += 1
            by_kind[d["kind"]] += 1
            by_loc[d["locale"]] += 1
    n_no = sum(nk.values())
    L = [f"Documents: **{len(recs)}** ({n_no} PHI-free, {len(recs) - n_no} with PHI); spans: **{sum(by_type.values())}**.", "",
         "| type | spans |", "|---|---|"]
    L += [f"| {t} | {by_type[t]} |" for t in sorted(TYPES, key=lambda t: (-by_type[t], t))]
    L += ["", "| kind | documents | PHI-free | spans |", "|---|---|---|---|"]
    L += [f"| {k} | {dk[k]} | {nk[k]} | {by_kind[k]} |" for k in KINDS]
    L += ["", "| locale | documents | spans |", "|---|---|---|"]
    L += [f"| {l} | {dl[l]} | {by_loc[l]} |" for l in LOCALES]
    block = "\n".join(L)
    with open("README.md", encoding="utf-8") as f:
        txt = f.read()
    a, b = "<!-- stats:begin -->", "<!-- stats:end -->"
    if a in txt and b in txt:
        txt = txt[:txt.index(a) + len(a)] + "\n" + block + "\n" + txt[txt.index(b):]
        with open("README.md", "w", encoding="utf-8", newline="\n") as f:
            f.write(txt)


if __name__ == "__main__":
    main()
