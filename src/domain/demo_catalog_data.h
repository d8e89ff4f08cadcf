/* demo_catalog_data.h — the tables the demo catalog is drawn from: real U.S.
 * cities, invented place and person names, streets, what each specialty's
 * rotations cover, and the kinds of host (templates) with the specialties and
 * kinds of rotation they offer.
 *
 * Data only, included by demo_catalog.c alone (its tables are static there,
 * so COUNT_OF works on them). Changing any entry changes the demo catalog
 * that `rounds seed` makes on every machine. */
#ifndef ROUNDS_DOMAIN_DEMO_CATALOG_DATA_H
#define ROUNDS_DOMAIN_DEMO_CATALOG_DATA_H

#include <stdbool.h>
#include <stddef.h>

struct city {
    const char *name, *state, *zip;
    const char *time_zone; /* when it differs from the state's */
};

static const struct city cities[] = {
    {"Birmingham", "AL", "35233", NULL},     {"Mobile", "AL", "36604", NULL},
    {"Huntsville", "AL", "35801", NULL},     {"Anchorage", "AK", "99508", NULL},
    {"Phoenix", "AZ", "85006", NULL},        {"Tucson", "AZ", "85719", NULL},
    {"Flagstaff", "AZ", "86001", NULL},      {"Little Rock", "AR", "72205", NULL},
    {"Fayetteville", "AR", "72701", NULL},   {"Fresno", "CA", "93721", NULL},
    {"Sacramento", "CA", "95817", NULL},     {"San Diego", "CA", "92103", NULL},
    {"Oakland", "CA", "94609", NULL},        {"Bakersfield", "CA", "93301", NULL},
    {"Riverside", "CA", "92501", NULL},      {"Denver", "CO", "80218", NULL},
    {"Colorado Springs", "CO", "80909", NULL}, {"Pueblo", "CO", "81003", NULL},
    {"Hartford", "CT", "06106", NULL},       {"New Haven", "CT", "06510", NULL},
    {"Wilmington", "DE", "19801", NULL},     {"Dover", "DE", "19901", NULL},
    {"Washington", "DC", "20010", NULL},     {"Orlando", "FL", "32806", NULL},
    {"Tampa", "FL", "33606", NULL},          {"Miami", "FL", "33136", NULL},
    {"Jacksonville", "FL", "32209", NULL},   {"Gainesville", "FL", "32608", NULL},
    {"Atlanta", "GA", "30308", NULL},        {"Savannah", "GA", "31404", NULL},
    {"Macon", "GA", "31201", NULL},          {"Honolulu", "HI", "96813", NULL},
    {"Hilo", "HI", "96720", NULL},           {"Boise", "ID", "83706", NULL},
    {"Idaho Falls", "ID", "83402", NULL},    {"Chicago", "IL", "60612", NULL},
    {"Peoria", "IL", "61603", NULL},         {"Springfield", "IL", "62702", NULL},
    {"Indianapolis", "IN", "46202", NULL},   {"Fort Wayne", "IN", "46802", NULL},
    {"Des Moines", "IA", "50314", NULL},     {"Iowa City", "IA", "52242", NULL},
    {"Wichita", "KS", "67214", NULL},        {"Topeka", "KS", "66604", NULL},
    {"Louisville", "KY", "40202", NULL},     {"Lexington", "KY", "40536", NULL},
    {"New Orleans", "LA", "70112", NULL},    {"Baton Rouge", "LA", "70808", NULL},
    {"Shreveport", "LA", "71103", NULL},     {"Portland", "ME", "04102", NULL},
    {"Bangor", "ME", "04401", NULL},         {"Baltimore", "MD", "21201", NULL},
    {"Silver Spring", "MD", "20910", NULL},  {"Worcester", "MA", "01605", NULL},
    {"Springfield", "MA", "01199", NULL},    {"Boston", "MA", "02118", NULL},
    {"Detroit", "MI", "48201", NULL},        {"Grand Rapids", "MI", "49503", NULL},
    {"Lansing", "MI", "48912", NULL},        {"Minneapolis", "MN", "55415", NULL},
    {"Duluth", "MN", "55805", NULL},         {"Jackson", "MS", "39216", NULL},
    {"Gulfport", "MS", "39501", NULL},       {"St. Louis", "MO", "63110", NULL},
    {"Kansas City", "MO", "64108", NULL},    {"Columbia", "MO", "65212", NULL},
    {"Billings", "MT", "59101", NULL},       {"Missoula", "MT", "59802", NULL},
    {"Omaha", "NE", "68198", NULL},          {"Lincoln", "NE", "68506", NULL},
    {"Las Vegas", "NV", "89102", NULL},      {"Reno", "NV", "89502", NULL},
    {"Manchester", "NH", "03103", NULL},     {"Lebanon", "NH", "03766", NULL},
    {"Newark", "NJ", "07103", NULL},         {"Paterson", "NJ", "07503", NULL},
    {"Camden", "NJ", "08103", NULL},         {"Albuquerque", "NM", "87106", NULL},
    {"Las Cruces", "NM", "88011", NULL},     {"Brooklyn", "NY", "11203", NULL},
    {"Buffalo", "NY", "14203", NULL},        {"Rochester", "NY", "14642", NULL},
    {"Albany", "NY", "12208", NULL},         {"Bronx", "NY", "10461", NULL},
    {"Charlotte", "NC", "28203", NULL},      {"Raleigh", "NC", "27610", NULL},
    {"Greenville", "NC", "27834", NULL},     {"Fargo", "ND", "58122", NULL},
    {"Bismarck", "ND", "58501", NULL},       {"Columbus", "OH", "43210", NULL},
    {"Cleveland", "OH", "44106", NULL},      {"Cincinnati", "OH", "45219", NULL},
    {"Toledo", "OH", "43614", NULL},         {"Oklahoma City", "OK", "73104", NULL},
    {"Tulsa", "OK", "74104", NULL},          {"Portland", "OR", "97239", NULL},
    {"Eugene", "OR", "97401", NULL},         {"Philadelphia", "PA", "19104", NULL},
    {"Pittsburgh", "PA", "15213", NULL},     {"Allentown", "PA", "18103", NULL},
    {"Providence", "RI", "02903", NULL},     {"Columbia", "SC", "29203", NULL},
    {"Charleston", "SC", "29425", NULL},     {"Sioux Falls", "SD", "57105", NULL},
    {"Rapid City", "SD", "57701", "America/Denver"}, {"Nashville", "TN", "37232", NULL},
    {"Memphis", "TN", "38103", NULL},        {"Knoxville", "TN", "37920", "America/New_York"},
    {"Houston", "TX", "77030", NULL},        {"Dallas", "TX", "75390", NULL},
    {"San Antonio", "TX", "78229", NULL},    {"El Paso", "TX", "79905", "America/Denver"},
    {"Austin", "TX", "78701", NULL},         {"Lubbock", "TX", "79430", NULL},
    {"Salt Lake City", "UT", "84132", NULL}, {"Provo", "UT", "84604", NULL},
    {"Burlington", "VT", "05401", NULL},     {"Richmond", "VA", "23298", NULL},
    {"Norfolk", "VA", "23507", NULL},        {"Roanoke", "VA", "24014", NULL},
    {"Seattle", "WA", "98104", NULL},        {"Spokane", "WA", "99204", NULL},
    {"Tacoma", "WA", "98405", NULL},         {"Morgantown", "WV", "26506", NULL},
    {"Charleston", "WV", "25304", NULL},     {"Huntington", "WV", "25701", NULL},
    {"Milwaukee", "WI", "53226", NULL},      {"Madison", "WI", "53792", NULL},
    {"Green Bay", "WI", "54301", NULL},      {"Cheyenne", "WY", "82001", NULL},
    {"Casper", "WY", "82601", NULL},         {"San Juan", "PR", "00936", NULL},
    {"Ponce", "PR", "00716", NULL},
};

/* States with many hosts in real life get the hosts beyond one per state. */
static const char *const busy_states[] = {"CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NJ", "MI", "NC", "MA"};

static const char *const places[] = {
    "Lakeview",      "Riverbend",   "Cedar Ridge",    "Pinecrest",    "Harbor Point", "Silver Creek",
    "Prairie View",  "Maple Valley", "Stonebridge",   "Willow Springs", "Eastgate",   "Northfield",
    "Sunrise Valley", "Red Oak",    "Bayside",        "Summit Park",  "Fox Hollow",   "Meadowbrook",
    "Granite Falls", "Brightwater", "Ironwood",       "Golden Mesa",  "Juniper Hills", "Copper Canyon",
    "Greenfield",    "Magnolia Bend", "Bluestem",     "Heron Bay",    "Aspen Grove",  "Laurel Heights",
    "Crescent Lake", "Sagebrush",   "Tidewater",      "Evergreen Valley", "Three Rivers", "Oak Hollow",
    "Canyon View",   "Pelican Shore", "Wildflower",   "Birchwood",
};

static const char *const first_names[] = {
    "Aisha",   "Daniel",  "Maria",    "Rajesh",   "Emily",   "Kwame",   "Sofia",   "Michael", "Mei",
    "Jonathan", "Fatima", "Carlos",   "Hannah",   "Oluwaseun", "Priyanka", "David", "Grace",   "Ahmed",
    "Laura",   "Tomasz",  "Nadia",    "Samuel",   "Elena",   "Benjamin", "Yuki",   "Andre",   "Rebecca",
    "Hassan",  "Julia",   "Marcus",   "Ananya",   "Victor",  "Chloe",   "Ibrahim", "Rachel",  "Luis",
    "Sarah",   "Kenji",   "Amara",    "Thomas",   "Leila",   "Gabriel", "Naomi",   "Diego",   "Catherine",
    "Arjun",   "Olivia",  "Mateo",    "Helen",    "Kofi",
};

static const char *const last_names[] = {
    "Whitaker", "Okonkwo",  "Patel",    "Nguyen",   "Hernandez", "Kowalski",  "Brennan",  "Haddad",
    "Lindgren", "Chen",     "Abernathy", "Delgado", "Osei",      "Sandoval",  "Novak",    "Fitzgerald",
    "Ramanathan", "Castillo", "Yamamoto", "Adeyemi", "Morrison",  "Petrov",    "Kaur",     "Oyelaran",
    "Sullivan", "Bergstrom", "Mendoza",  "Park",     "Rahman",    "Ellison",   "Goldberg", "Iyer",
    "Moreau",   "Antonelli", "Dubois",   "Kim",      "Walsh",     "Zhang",     "Obi",      "Farouk",
    "Carver",   "Thornton",  "Vasquez",  "Mwangi",   "Hollister", "Ibrahim",   "Chowdhury", "Reyes",
    "Schneider", "Nakamura", "Duarte",   "Baptiste", "Olsen",     "Harrington", "Acheampong", "Kapoor",
    "Salazar",  "Weiss",     "Bianchi",  "Ferreira", "Hughes",    "Mensah",    "Ortega",   "Levin",
};

static const char *const streets[] = {
    "Medical Center Dr", "Main St",      "Hospital Blvd",  "University Ave", "Oak St",        "Park Ave",
    "Washington Ave",    "Lincoln Way",  "Lakeshore Dr",   "Riverside Dr",   "Elm St",        "Maple Ave",
    "Jefferson Blvd",    "Health Sciences Pkwy", "Market St", "Broadway",    "Chestnut St",   "Grand Ave",
    "Memorial Dr",       "Church St",    "Center St",      "Cedar Ln",       "Highland Ave",  "College Ave",
};

static const char *const street_prefixes[] = {"", "", "", "N ", "S ", "E ", "W "};

static const char *const branch_names[] = {"North Clinic", "Eastside Outpatient Center", "Downtown Medical Pavilion",
                                           "West Campus", "Riverside Clinic", "South Family Health Center",
                                           "Ambulatory Care Center", "Specialty Clinic"};

/* A specialty's usual setting ('i'npatient, 'o'utpatient, 'm'ixed) and what
 * a rotation in it covers. */
struct specialty_info {
    const char *slug;
    char setting;
    bool telehealth; /* visits that work by video */
    const char *focus;
};

static const struct specialty_info specialty_infos[] = {
    {"anesthesiology", 'i', false, "pre-operative assessment, airway management in the OR and the post-anesthesia care unit"},
    {"cardiology", 'm', true, "the chest-pain clinic, echocardiography reading sessions and heart-failure follow-up visits"},
    {"child-neurology", 'o', true, "pediatric seizure and headache clinics and EEG review with the attending"},
    {"critical-care", 'i', false, "ICU rounds, ventilator management and daily family meetings"},
    {"dermatology", 'o', true, "general dermatology clinic, skin biopsies and dermoscopy teaching"},
    {"diagnostic-radiology", 'm', false, "CT and MRI reading-room sessions and daily case conferences"},
    {"emergency-medicine", 'm', false, "emergency department shifts, triage and resuscitation-bay teaching"},
    {"endocrinology", 'o', true, "diabetes, thyroid and pituitary clinics and continuous glucose monitor reviews"},
    {"family-medicine", 'o', true, "continuity clinic, well-child and chronic-disease visits and preventive care"},
    {"gastroenterology", 'm', false, "GI clinic, endoscopy-suite observation and inpatient GI consults"},
    {"general-surgery", 'i', false, "the OR, pre- and post-operative rounds and the surgical clinic"},
    {"geriatrics", 'o', true, "memory clinic, nursing-home rounds and medication reviews for older adults"},
    {"hematology-oncology", 'm', true, "infusion-center visits, tumor board and new-patient oncology consults"},
    {"hospital-medicine", 'i', false, "admissions from the emergency department, daily ward rounds and discharge planning"},
    {"infectious-disease", 'm', true, "inpatient ID consults, antimicrobial stewardship rounds and HIV clinic"},
    {"internal-medicine", 'm', true, "ward rounds, admissions, progress notes and the continuity clinic"},
    {"internal-medicine-pediatrics", 'o', true, "adult and pediatric continuity clinics and transition-of-care visits"},
    {"interventional-radiology", 'i', false, "procedures in the IR suite, consent discussions and post-procedure follow-up"},
    {"medical-genetics", 'o', true, "genetics clinic, pedigree analysis and variant-interpretation conferences"},
    {"nephrology", 'm', true, "dialysis rounds, CKD clinic and inpatient renal consults"},
    {"neurological-surgery", 'i', false, "neurosurgical rounds, the OR and spine clinic"},
    {"neurology", 'm', true, "stroke-unit rounds, general neurology clinic and EEG and EMG reading"},
    {"nuclear-medicine", 'o', false, "PET-CT and thyroid studies with daily reading sessions"},
    {"obstetrics-gynecology", 'm', false, "labor and delivery, prenatal clinic and gynecologic surgery"},
    {"ophthalmology", 'o', false, "slit-lamp examinations in clinic and cataract-surgery observation"},
    {"orthopaedic-surgery", 'm', false, "fracture clinic, joint-replacement cases and sports-injury visits"},
    {"otolaryngology", 'm', false, "ENT clinic, nasal endoscopy and head-and-neck surgery cases"},
    {"pathology", 'o', false, "grossing, sign-out at the multi-head microscope and frozen sections"},
    {"pediatrics", 'm', true, "the newborn nursery, general pediatric clinic and inpatient pediatric rounds"},
    {"physical-medicine-rehabilitation", 'i', false, "inpatient rehabilitation rounds, EMG and spasticity clinic"},
    {"plastic-surgery", 'm', false, "reconstructive cases in the OR and the wound clinic"},
    {"psychiatry", 'o', true, "outpatient psychiatric evaluations, medication management and the consultation-liaison service"},
    {"pulmonology", 'o', true, "pulmonary clinic, pulmonary function testing and bronchoscopy"},
    {"radiation-oncology", 'o', false, "treatment planning, on-treatment visits and tumor board"},
    {"rheumatology", 'o', true, "rheumatology clinic, joint injections and autoimmune case reviews"},
    {"sports-medicine", 'o', false, "sports-medicine clinic, musculoskeletal ultrasound and team-physician coverage"},
    {"thoracic-surgery", 'i', false, "lung and esophageal surgery cases and the thoracic clinic"},
    {"urology", 'm', false, "urology clinic, cystoscopy and robotic-surgery cases"},
    {"vascular-surgery", 'i', false, "vascular clinic, the non-invasive vascular lab and endovascular cases"},
};

enum kind { KIND_HANDS_ON, KIND_OBSERVERSHIP, KIND_RESEARCH, KIND_TELEHEALTH, KIND_COUNT };
static const char *const kind_slugs[KIND_COUNT] = {"hands_on", "observership", "research", "telehealth"};

/* A kind of host. In name patterns {0} is the city, {1} an invented place
 * name, {2} and {3} surnames. An empty specialty list means the general mix. */
struct host_template {
    const char *pattern;
    const char *specialties[11];
    int kind_weights[KIND_COUNT];
    int max_sites;
    int weight; /* how common the kind of host is */
};

static const char *const general_mix[] = {
    "internal-medicine", "internal-medicine", "internal-medicine", "family-medicine", "family-medicine",
    "pediatrics",        "pediatrics",        "psychiatry",        "psychiatry",      "cardiology",
    "cardiology",        "general-surgery",   "emergency-medicine", "obstetrics-gynecology", "neurology",
    "hospital-medicine", "hospital-medicine", "gastroenterology",  "pulmonology",     "hematology-oncology",
    "nephrology",        "endocrinology",     "infectious-disease", "anesthesiology", "diagnostic-radiology",
    "orthopaedic-surgery", "critical-care",   "geriatrics",        "rheumatology",    "pathology",
    "dermatology",       "urology",
};

static const struct host_template templates[] = {
    {"{0} Community Hospital", {NULL}, {45, 40, 5, 10}, 3, 6},
    {"{2} Family Practice",
     {"family-medicine", "family-medicine", "internal-medicine", "sports-medicine", "geriatrics", NULL},
     {50, 35, 0, 15}, 1, 4},
    {"{1} University-affiliated Clinics", {NULL}, {35, 30, 25, 10}, 3, 4},
    {"{1} Regional Medical Center", {NULL}, {45, 40, 7, 8}, 3, 5},
    {"{2} & {3} Cardiology Associates", {"cardiology", "cardiology", "internal-medicine", "vascular-surgery", NULL},
     {45, 40, 10, 5}, 2, 2},
    {"{0} Children's Clinic",
     {"pediatrics", "pediatrics", "child-neurology", "internal-medicine-pediatrics", "medical-genetics", NULL},
     {40, 40, 10, 10}, 2, 2},
    {"{1} Behavioral Health", {"psychiatry", "psychiatry", "neurology", NULL}, {30, 30, 10, 30}, 2, 2},
    {"{1} Surgical Specialists",
     {"general-surgery", "orthopaedic-surgery", "urology", "vascular-surgery", "plastic-surgery", "thoracic-surgery",
      "neurological-surgery", "otolaryngology", "anesthesiology", NULL},
     {50, 45, 5, 0}, 2, 2},
    {"{0} Internal Medicine Associates",
     {"internal-medicine", "endocrinology", "gastroenterology", "nephrology", "rheumatology", "pulmonology",
      "infectious-disease", "geriatrics", NULL},
     {45, 35, 5, 15}, 2, 3},
    {"{1} Cancer and Imaging Center",
     {"hematology-oncology", "radiation-oncology", "diagnostic-radiology", "interventional-radiology",
      "nuclear-medicine", "pathology", NULL},
     {35, 40, 20, 5}, 2, 2},
    {"{1} Women's Health", {"obstetrics-gynecology", "obstetrics-gynecology", "family-medicine", NULL},
     {50, 40, 5, 5}, 2, 2},
    {"{1} Telehealth Network",
     {"psychiatry", "internal-medicine", "family-medicine", "endocrinology", "dermatology", "infectious-disease",
      "neurology", "rheumatology", NULL},
     {5, 10, 10, 75}, 1, 2},
    {"{1} Clinical Research Institute",
     {"hematology-oncology", "medical-genetics", "neurology", "infectious-disease", "cardiology", "endocrinology",
      "pathology", "rheumatology", NULL},
     {5, 15, 70, 10}, 1, 2},
    {"{0} Emergency and Critical Care Physicians",
     {"emergency-medicine", "emergency-medicine", "critical-care", "anesthesiology", "hospital-medicine", NULL},
     {55, 45, 0, 0}, 2, 2},
    {"{2} Dermatology and Skin Center", {"dermatology", "dermatology", "plastic-surgery", NULL}, {40, 45, 5, 10}, 1,
     1},
    {"{1} Rehabilitation Hospital",
     {"physical-medicine-rehabilitation", "physical-medicine-rehabilitation", "sports-medicine", "neurology", NULL},
     {50, 40, 5, 5}, 2, 1},
    {"{1} Hospitalist Group",
     {"hospital-medicine", "internal-medicine", "critical-care", "nephrology", "infectious-disease", NULL},
     {55, 40, 5, 0}, 2, 2},
    {"{2} Eye and ENT Institute", {"ophthalmology", "otolaryngology", NULL}, {45, 50, 5, 0}, 1, 1},
};

#endif
