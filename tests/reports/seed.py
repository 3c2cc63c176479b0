"""The seed status page (shared/seed/status-page-kommuneomraadet.md) as a snapshot, by hand.

Every text is copied word for word from the seed page; SEED_FACTS lists what a reader must find
on the rendered page. Facts the seed does not give (ratings, risk scores) are left empty.
"""

from datetime import UTC, date, datetime

from reports.snapshot import (
    KpiPoint,
    KpiSeries,
    MilestoneRow,
    Participant,
    RiskLine,
    StatusPageSnapshot,
    Supplier,
    Track,
    TrackLight,
    TrackStatus,
)

PT = "På tværs – Børn & Unge"
LTT = "LTT"
WAITING = "Afventer opstart af styregruppen, som sker når regeringsdannelse er gennemført."

PURPOSE = """På Tværs – Børn & Unge - Data | Samarbejde | Sammenhæng

LTT: at alle 98 kommuners LTT-enhed kan anvende KM i samarbejdet med praktiserende og evt. øvrige samarbejdspartnere i løbet af 2026.

”På Tværs – Børn & Unge” er et udbredelsesprojekt under den Fællesoffentlige Digitaliseringsstrategi, som løber i perioden 2026-2029. Der skal udrulles en løsning for datadeling og -udstilling, pilottestet i Nordjylland blandt kommunal PPR, børne- og familieafdeling, regional børne- og ungdomspsykiatri og alment praktiserende læger med det formål, at børn, unge og familier oplever, at de relevante fagprofessionelle koordinerer og informerer hinanden. Det giver tryghed, tillid og mening. KL står for den samlede projektledelse, og projektet drives i samarbejde med KOMBIT, som er ansvarlig for den tekniske udvikling. Projektejer er Partsforum for Fælles Offentlig Digitaliseringsstrategi.

Projektet er delt i to hovedspor:

1. skalering af datadeling på tværs af myndigheder, herunder almen praksis, børne- og ungepsykiatrien samt kommunernes PPR- og børne-/familieafdelinger til hele landet med forventet go-live i 2027 (Løsning blev pilotafprøvet i 2025).
2. undersøge og vurdere muligheden for at udstille flere relevante data, udbrede løsningen til at omfatte voksenområdet og tilbud på socialområdet, ligesom det skal vurderes, om data skal udstilles til borgere på Mit Overblik og eventuelt sundhed.dk.

Første halvår 2026 udarbejdes implementeringsplan samt modning af den tekniske infrastruktur. Projektet har 5 arbejdsplaner. Digital Sundhed Danmark (SDS & MedCom) er inviteret til at deltage i projektets styregruppe, som forventes at starte d. 9. juni 2026, selve projektet startede op d. 1. januar 2026.

Digital Sundhed Danmarks (SDS & MedCom) opgave og formål fastlægges ifm. styregruppens beslutninger. Opmærksomhedsområder er:

- Ambitionsniveau for anvendelse af strukturerede data
- Sikring af adgang for sundhedsfagligt personale i regioner og lægepraksis
- Teknisk udvikling og modning af valgte løsninger
- Beskrivelse af minimum ét scenarie for drifts-, vedligehold- og videreudviklingsmodel, herunder driftsøkonomi og -ejerskab af de udviklede funktionaliteter og løsninger efter projektperiodens afslutning i 2029.

Ovenstående tekst opdateres ifm. styregruppens arbejde."""  # noqa: E501

LTT_STATUS = (
    "LTT: 40 kommuner anvender KM indenfor PPR/LTT. 4 ud af 7 it-leverandører til LTT har "
    "indgået samarbejdskontrakt med MedCom om at implementere den nye version af KM "
    "(FDIS91/CareCommunication) i HL7 FHIR format."
)
KPI_DESCRIPTION = (
    "LTT: billedet viser at 40 kommuner anvender korrespondancemeddelelse i kommuner som er "
    "registreret med enhedstypen Pædagogisk Psykologisk Rådgivning (PPR) i SOR."
)
KPI_REMARK = (
    'I april 2026 blev enhedstypen "Lettilgængelige tilbud" tilgængelig i SOR. Flere '
    "organisationer indenfor børne/ungeområdet forventes at anvende denne enhedstype "
    'fremadrettet, det er en anbefaling, men ikke et krav, at enhedstypen for "Lettilgængelige '
    'tilbud" anvendes. Der kan derfor fremadrettet være nogle enheder, som anvender '
    '"Lettilgængelige tilbud", mens andre anvender enhedstypen "PPR". Samtidig organiserer '
    "kommunerne sig forskelligt og anvender evt. nedrivning af lokationsnummer fra PPR til LTT. "
    "Det kan derfor blive svært at lave overskuelige statistikker for det præcise antal KM, som "
    "udveksles mellem LTT-området og samarbejdspartnere herunder praksislægerne."
)
MILESTONE_1 = (
    "LTT -ansvarlig enheden i hver kommune skal anvende KM monitoreret via statistik indenfor "
    "PPR og LTT"
)
MILESTONE_2 = "På Tværs – Børn & Unge afventer styregruppe opstart"
KPI_NAME = "Kommunernes anvendelse af korrespondancemeddelelsen på PPR-området"
AS_OF = datetime(2026, 4, 24, 10, 0, tzinfo=UTC)
STATUS_DATE = date(2026, 4, 24)


def seed_snapshot(**changes) -> StatusPageSnapshot:
    """Return the seed page as of 24 April 2026; keyword arguments replace fields."""
    fields = dict(
        project_slug="paa-tvaers-boern-og-unge",
        area="Kommuneområdet",
        title=f"{PT} + Lettilgængelige tilbud til børn og unge i mistrivsel",
        status_date=date(2026, 4, 24),
        project_leader="Dorthe Skou Lassen",
        participants=(
            Participant(
                LTT,
                "Lettilgængelige tilbud (LTT): KL & 98 kommuner – LTT-enheder, It-leverandører "
                "indenfor LTT området",
            ),
        ),
        suppliers=(
            Supplier(
                LTT,
                "National MedCom LTT leverandørgruppe: SBSYS, Novax, Netcompany, JOSA, KMD, "
                "EG Sensus, Columna Cura",
                "decided",
            ),
            Supplier(PT, "KL, KOMBIT, DSD", "expected"),
            Supplier(PT, "", "not_decided"),
        ),
        purpose=PURPOSE,
        read_more_label=PT,
        read_more_url="#",
        read_more_note="(KL's hjemmeside indtil projektet starter op i juni måned)",
        tracks=(
            Track(PT, "", f"**På Tværs – Børn & Unge {WAITING.replace(',', '')}**"),
            Track(LTT, "Lettilgængelige tilbud til børn og unge i mistrivsel", ""),
        ),
        statuses=(
            TrackStatus(PT, None, f"*På Tværs – Børn & Unge: {WAITING}*", STATUS_DATE),
            TrackStatus(LTT, None, LTT_STATUS, STATUS_DATE),
        ),
        biggest_risks=(
            RiskLine(
                PT,
                WAITING,
                f"*På Tværs – Børn & Unge: {WAITING}*",
                None,
                None,
                "open",
            ),
        ),
        risks=(
            RiskLine(
                PT,
                WAITING,
                f"*På Tværs – Børn & Unge: {WAITING}*",
                None,
                None,
                "open",
            ),
        ),
        milestone_note=(
            "5+/- største milepæle - Afventer opstart af styregruppen som sker når "
            "regeringsdannelse er gennemført."
        ),
        milestones=(
            MilestoneRow(
                1,
                MILESTONE_1,
                LTT,
                date(2026, 12, 1),
                date(2026, 12, 1),
                None,
                False,
                0,
                ((STATUS_DATE, date(2026, 12, 1)),),
            ),
            MilestoneRow(2, MILESTONE_2, PT, None, None, None, False, 0, ((STATUS_DATE, None),)),
        ),
        kpis=(
            KpiSeries(
                track=LTT,
                name=KPI_NAME,
                description=KPI_DESCRIPTION,
                unit="kommuner",
                denominator=98,
                denominator_label="98 kommuner",
                points=(KpiPoint(date(2026, 4, 24), "40", ""),),
                remark=KPI_REMARK,
            ),
        ),
        decisions=(),
        changes_since=None,
        changes=(),
        as_of_position=1,
        as_of_time=AS_OF,
        # No milestone has slipped or is overdue, no risk scores 15, no steering meeting yet.
        lights=(TrackLight(PT, None, "green", (), ""), TrackLight(LTT, None, "green", (), "")),
    )
    fields.update(changes)
    return StatusPageSnapshot(**fields)


# What a reader must find on the page, each word for word from the seed.
SEED_FACTS = [
    "Kommuneområdet",
    "På tværs – Børn & Unge + Lettilgængelige tilbud til børn og unge i mistrivsel",
    "24. april 2026",
    "Dorthe Skou Lassen",
    "Lettilgængelige tilbud (LTT): KL & 98 kommuner – LTT-enheder, It-leverandører indenfor LTT "
    "området",
    "National MedCom LTT leverandørgruppe: SBSYS, Novax, Netcompany, JOSA, KMD, EG Sensus, "
    "Columna Cura",
    "På tværs – Børn & Unge: forventeligt KL, KOMBIT, DSD",
    "På tværs – Børn & Unge: ikke fastlagt endnu",
    "På Tværs – Børn & Unge - Data | Samarbejde | Sammenhæng",
    *[line.lstrip("-0123456789. ") for line in PURPOSE.split("\n") if line.strip()],
    "Læs mere om projektet: På tværs – Børn & Unge (KL's hjemmeside indtil projektet starter op "
    "i juni måned)",
    f"På Tværs – Børn & Unge: {WAITING}",
    LTT_STATUS,
    "5+/- største milepæle - Afventer opstart af styregruppen som sker når regeringsdannelse er "
    "gennemført.",
    MILESTONE_1,
    MILESTONE_2,
    "01.12.2026",
    "Monitorering",
    "Lettilgængelige tilbud til børn og unge i mistrivsel",
    "På Tværs – Børn & Unge Afventer opstart af styregruppen som sker når regeringsdannelse er "
    "gennemført.",
    KPI_DESCRIPTION,
    KPI_NAME,
    "40 af 98",
    "Bemærkning:",
    KPI_REMARK,
]
