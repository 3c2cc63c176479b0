"""The facts of the seed status page (Kommuneområdet, 24 April 2026), word for word."""

# ruff: noqa: E501 - the texts are kept exactly as published, one line per paragraph

AREA_SLUG = "kommuneomraadet"
AREA_NAME = "Kommuneområdet"
PROJECT_SLUG = "paa-tvaers-boern-og-unge"
TITLE = "På tværs – Børn & Unge + Lettilgængelige tilbud til børn og unge i mistrivsel"
STATUS_DATE = "2026-04-24"
PROJECT_LEADER = "Dorthe Skou Lassen"

TRACK_PT = "På tværs – Børn & Unge"
TRACK_LTT = "LTT"
TRACK_LTT_TITLE = "Lettilgængelige tilbud til børn og unge i mistrivsel"

PARTICIPANTS = [
    (
        TRACK_LTT,
        "Lettilgængelige tilbud (LTT): KL & 98 kommuner – LTT-enheder, It-leverandører indenfor LTT området",
    )
]
SUPPLIERS = [
    (
        TRACK_LTT,
        "National MedCom LTT leverandørgruppe: SBSYS, Novax, Netcompany, JOSA, KMD, EG Sensus, Columna Cura",
        "decided",
    ),
    (TRACK_PT, "KL, KOMBIT, DSD", "expected"),
    (TRACK_PT, "", "not_decided"),
]
PURPOSE = "På Tværs – Børn & Unge - Data | Samarbejde | Sammenhæng\n\nLTT: at alle 98 kommuners LTT-enhed kan anvende KM i samarbejdet med praktiserende og evt. øvrige samarbejdspartnere i løbet af 2026.\n\n”På Tværs – Børn & Unge” er et udbredelsesprojekt under den Fællesoffentlige Digitaliseringsstrategi, som løber i perioden 2026-2029. Der skal udrulles en løsning for datadeling og -udstilling, pilottestet i Nordjylland blandt kommunal PPR, børne- og familieafdeling, regional børne- og ungdomspsykiatri og alment praktiserende læger med det formål, at børn, unge og familier oplever, at de relevante fagprofessionelle koordinerer og informerer hinanden. Det giver tryghed, tillid og mening. KL står for den samlede projektledelse, og projektet drives i samarbejde med KOMBIT, som er ansvarlig for den tekniske udvikling. Projektejer er Partsforum for Fælles Offentlig Digitaliseringsstrategi.\n\nProjektet er delt i to hovedspor:\n\n1. skalering af datadeling på tværs af myndigheder, herunder almen praksis, børne- og ungepsykiatrien samt kommunernes PPR- og børne-/familieafdelinger til hele landet med forventet go-live i 2027 (Løsning blev pilotafprøvet i 2025).\n2. undersøge og vurdere muligheden for at udstille flere relevante data, udbrede løsningen til at omfatte voksenområdet og tilbud på socialområdet, ligesom det skal vurderes, om data skal udstilles til borgere på Mit Overblik og eventuelt sundhed.dk.\n\nFørste halvår 2026 udarbejdes implementeringsplan samt modning af den tekniske infrastruktur. Projektet har 5 arbejdsplaner. Digital Sundhed Danmark (SDS & MedCom) er inviteret til at deltage i projektets styregruppe, som forventes at starte d. 9. juni 2026, selve projektet startede op d. 1. januar 2026.\n\nDigital Sundhed Danmarks (SDS & MedCom) opgave og formål fastlægges ifm. styregruppens beslutninger. Opmærksomhedsområder er:\n\n- Ambitionsniveau for anvendelse af strukturerede data\n- Sikring af adgang for sundhedsfagligt personale i regioner og lægepraksis\n- Teknisk udvikling og modning af valgte løsninger\n- Beskrivelse af minimum ét scenarie for drifts-, vedligehold- og videreudviklingsmodel, herunder driftsøkonomi og -ejerskab af de udviklede funktionaliteter og løsninger efter projektperiodens afslutning i 2029.\n\nOvenstående tekst opdateres ifm. styregruppens arbejde."
READ_MORE_LABEL = "På tværs – Børn & Unge"
READ_MORE_URL = "#"
READ_MORE_NOTE = "(KL's hjemmeside indtil projektet starter op i juni måned)"

STATUS = [
    (
        TRACK_PT,
        "*På Tværs – Børn & Unge: Afventer opstart af styregruppen, som sker når regeringsdannelse er gennemført.*",
    ),
    (
        TRACK_LTT,
        "LTT: 40 kommuner anvender KM indenfor PPR/LTT. 4 ud af 7 it-leverandører til LTT har indgået samarbejdskontrakt med MedCom om at implementere den nye version af KM (FDIS91/CareCommunication) i HL7 FHIR format.",
    ),
]
BIGGEST_RISK_TRACK = TRACK_PT
BIGGEST_RISK_TITLE = (
    "Afventer opstart af styregruppen, som sker når regeringsdannelse er gennemført."
)
BIGGEST_RISK_TEXT = "*På Tværs – Børn & Unge: Afventer opstart af styregruppen, som sker når regeringsdannelse er gennemført.*"

MILESTONE_NOTE = "5+/- største milepæle - Afventer opstart af styregruppen som sker når regeringsdannelse er gennemført."
MILESTONES = [
    (
        TRACK_LTT,
        "LTT -ansvarlig enheden i hver kommune skal anvende KM monitoreret via statistik indenfor PPR og LTT",
        "2026-12-01",
    ),
    (TRACK_PT, "På Tværs – Børn & Unge afventer styregruppe opstart", None),
]

MONITORING_NOTE_PT = "**På Tværs – Børn & Unge Afventer opstart af styregruppen som sker når regeringsdannelse er gennemført.**"
KPI_NAME = "Kommunernes anvendelse af korrespondancemeddelelsen på PPR-området"
KPI_DESCRIPTION = "LTT: billedet viser at 40 kommuner anvender korrespondancemeddelelse i kommuner som er registreret med enhedstypen Pædagogisk Psykologisk Rådgivning (PPR) i SOR."
KPI_UNIT = "kommuner"
KPI_DENOMINATOR = 98
KPI_DENOMINATOR_LABEL = "98 kommuner"
KPI_POINTS = [("2026-04-24", "40")]
KPI_REMARK = 'I april 2026 blev enhedstypen "Lettilgængelige tilbud" tilgængelig i SOR. Flere organisationer indenfor børne/ungeområdet forventes at anvende denne enhedstype fremadrettet, det er en anbefaling, men ikke et krav, at enhedstypen for "Lettilgængelige tilbud" anvendes. Der kan derfor fremadrettet være nogle enheder, som anvender "Lettilgængelige tilbud", mens andre anvender enhedstypen "PPR". Samtidig organiserer kommunerne sig forskelligt og anvender evt. nedrivning af lokationsnummer fra PPR til LTT. Det kan derfor blive svært at lave overskuelige statistikker for det præcise antal KM, som udveksles mellem LTT-området og samarbejdspartnere herunder praksislægerne.'
