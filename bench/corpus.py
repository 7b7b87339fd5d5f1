"""A synthetic repository: the site frame of this repository plus N approved routines.

The frame (mkdocs.yml, organisation.yml, courses.yml, hooks/, overrides/ and the hand-written
pages in docs/) is copied from the repository. The routines are generated: Swedish bodies of
about 400 words, random audiences from organisation.yml, a mix of mandatory and optional,
related routines and links between them, and about every fifth with a quiz in quizzes/.
About one in ten has two approved versions (news page and version history get content).

Every routine is already approved, written exactly as the CLI writes it: the same
front-matter edits (`update_front_matter`), the same validated metadata, hash and snapshot
(`render_snapshot`) as `rutinportal submit` and `rutinportal approve` (and `revise`) produce.
Writing directly is much faster than going through `lifecycle` (which loads the whole
catalogue for every command and fsyncs every file); `self_check` proves on a small sample that
the bytes are identical to what `lifecycle` writes, and `make_corpus` verifies the result
with a full `Catalogue.load`.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from rutinportal.approval.frontmatter_edit import update_front_matter
from rutinportal.approval.creating import slugify
from rutinportal.approval.lifecycle import PREVIOUS_VERSION
from rutinportal.approval.writing import render_snapshot
from rutinportal.content.documents import Approval, Content, Kind, WorkingCopyFields
from rutinportal.content.snapshots import frozen_quiz_path, snapshot_path
from rutinportal.content.yamlsource import read_front_matter

REPO = Path(__file__).resolve().parent.parent
FRAME = ["mkdocs.yml", "organisation.yml", "courses.yml", "hooks", "overrides",
         "docs/index.md", "docs/om.md", "docs/taggar.md"]
EMPTY_FOLDERS = ["routines", "quizzes", "approved", "docs/utbildning", "docs/lardomar"]
ROUTINE = Kind.ROUTINE

# docs/index.md links to this routine: the first generated routine takes its file name.
LINKED_FROM_FRAME = ("rapportera-incident", "Rapportera en informationssäkerhetsincident")

ACTIONS = ["Hantera", "Skydda", "Dela", "Förvara", "Radera", "Skicka", "Granska", "Logga",
           "Arkivera", "Kontrollera", "Låna ut", "Återställa"]
OBJECTS = ["journalanteckningar", "genomförandeplaner", "SITHS-kort", "nycklar och taggar",
           "tjänstemobiler", "lösenord", "utskrifter", "e-post med personuppgifter",
           "fotografier", "läkemedelslistor", "besöksplaneringen", "larmloggar",
           "behörigheter", "USB-minnen", "bärbara datorer", "videomöten",
           "avvikelserapporter", "samtyckesblanketter", "kundpärmar", "schemauppgifter"]
CONTEXTS = ["i hemtjänsten", "på boendet", "vid hembesök", "vid distansarbete",
            "under nattpass", "vid sjukfrånvaro", "i verksamhetssystemet", "vid överlämning",
            "vid IT-avbrott", "på kontoret", "i mötesrum", "under resor",
            "vid nyanställning", "när anställningen upphör", "i samverkan med regionen"]
OWNERS = ["Verksamhetschef hemtjänst", "Avdelningschef Utveckling och stöd",
          "Verksamhetschef vård- och omsorgsboende", "Medicinskt ansvarig sjuksköterska",
          "Verksamhetschef funktionsstöd", "Avdelningschef individ- och familjeomsorg",
          "Rektor Komvux", "Enhetschef larm och trygghetstjänster", "Sektorchef Välfärd"]
# The decision bodies of organisation.yml (approve --by must name one).
DECIDERS = [("Ledningsgruppen Utveckling och stöd", "LG U&S"),
            ("Sektorsledningen Välfärd", "SL V"),
            ("Styrgruppen för strategiska och operativa IT-frågor", "SG IT")]
CHANGE_NOTE = "En ändring i sak efter översynen."
TAGS = ["SITHS", "Behörighet", "Sekretess", "Lösenord", "Nätfiske", "Incident", "Journal",
        "Mobil", "E-post", "Fysisk säkerhet", "Kontinuitet", "Dataskydd", "Leverantörer",
        "Utskrifter", "Foto"]

PURPOSE = [
    "Rutinen beskriver hur du gör med {obj} {ctx} så att kundernas uppgifter skyddas.",
    "Uppgifterna om våra kunder omfattas av sekretess, och den som inte behöver dem i sitt "
    "arbete ska inte kunna ta del av dem.",
    "Ett misstag med {obj} kan leda till att känsliga personuppgifter hamnar hos fel person.",
    "Rutinen ska göra det enkelt att göra rätt även när det är bråttom och arbetslaget är "
    "litet.",
    "Allt som görs i våra system loggas, och loggarna ska visa vem som har gjort vad.",
]
STEPS = [
    "Kontrollera att du har rätt behörighet innan du börjar arbeta med {obj}.",
    "Lämna aldrig {obj} obevakade, inte ens en kort stund.",
    "Lås skärmen med Windows-tangenten och L när du går från datorn.",
    "Använd bara de system och den utrustning som kommunen har godkänt.",
    "Dela inte {obj} med någon som inte behöver uppgifterna i sitt arbete.",
    "Skriv inte personnummer eller namn på kunder i ämnesraden i e-post.",
    "Förvara papper med personuppgifter inlåsta när du inte använder dem.",
    "Lägg papper som ska slängas i den låsta kassetten för sekretessavfall.",
    "Fråga din närmaste chef om du är osäker på vad som gäller.",
    "Dokumentera det du har gjort i verksamhetssystemet samma dag.",
    "Logga ut från verksamhetssystemet när passet är slut.",
    "Ta med {obj} tillbaka till kontoret när besöket är klart.",
    "Kontrollera mottagarens adress två gånger innan du skickar något.",
    "Använd krypterad e-post när du skickar känsliga uppgifter till regionen.",
    "Berätta för kollegan som tar över vad som återstår, men bara det som behövs.",
]
WARNINGS = [
    ("Ingen frågar på riktigt", "Varken IT-support, din chef eller en leverantör behöver "
     "ditt lösenord eller din engångskod. Den som frågar efter dem försöker lura dig."),
    ("Tänk på sekretessen", "Prata inte om kunder i trapphus, på bussen eller i "
     "personalrummet när andra kan höra. Sekretessen gäller även efter arbetstid."),
    ("Gör en anmälan direkt", "Vänta inte till nästa arbetspass med att rapportera. Ju "
     "tidigare vi vet, desto mer kan vi göra för att begränsa skadan."),
]
PROBLEMS = [
    "Har något kommit i fel händer? Berätta för **närmaste chef** direkt.",
    "Rapportera händelsen som en incident i avvikelsesystemet samma dag.",
    "Kontakta **SG IT servicedesk** om det gäller en dator, en mobil eller ett konto.",
    "Chefen informerar **informationssäkerhetssamordnaren** och bedömer om händelsen ska "
    "anmälas till IMY.",
    "Är du osäker på om något har hänt? Rapportera ändå: det är bättre än att vänta.",
]
BACKGROUND = [
    "Cybersäkerhetslagen (SFS 2025:1506) gäller sedan 15 januari 2026 för hela sektor "
    "Välfärd.",
    "NIS2-direktivet kräver att verksamheten har rutiner för riskhantering, incidenter och "
    "kontinuitet, och att medarbetarna får utbildning.",
    "Dataskyddsförordningen kräver att personuppgifter skyddas med lämpliga tekniska och "
    "organisatoriska åtgärder.",
    "Offentlighets- och sekretesslagen gäller uppgifter om våra kunders hälsa och personliga "
    "förhållanden.",
    "Under de senaste åren har flera svenska kommuner drabbats av IT-angrepp som har stoppat "
    "verksamheten i veckor.",
    "Granskningar visar att de flesta incidenter börjar med ett mänskligt misstag som ingen "
    "rapporterade i tid.",
    "Rutinen har tagits fram tillsammans med medarbetare och chefer i verksamheterna och "
    "följs upp vid varje översyn.",
    "Lärdomarna från tidigare incidenter hos oss finns samlade under Lärdomar i portalen.",
]
RESPONSIBILITY = [
    "Du ansvarar för att följa rutinen i ditt dagliga arbete och för att säga till om något i "
    "den inte fungerar.",
    "Närmaste chef ansvarar för att alla i arbetsgruppen känner till rutinen, även "
    "nyanställda, vikarier och timanställda.",
    "Informationsägaren ansvarar för att rutinen är aktuell och ser över den minst en gång "
    "om året.",
    "Informationssäkerhetssamordnaren stöttar verksamheterna, sammanställer incidenterna och "
    "sprider lärdomarna.",
    "Systemförvaltaren ansvarar för att behörigheterna i systemet stämmer med rutinen.",
]
FOLLOW_UP = [
    "Chefen går igenom rutinen på en arbetsplatsträff minst en gång om året.",
    "Kvittenserna i Rutinportalen visar hur många i målgruppen som har läst den gällande "
    "versionen.",
    "Avvikelser som rör rutinen följs upp i ledningsgruppen varje kvartal.",
    "Förslag på förbättringar skickar du till informationsägaren eller till din chef.",
    "När rutinen ändras i sak får du frågan att kvittera den igen.",
]
QUESTIONS = [
    ("Vad gör du om du är osäker på vad som gäller för {obj}?",
     ["Frågar min närmaste chef.", "Gör som jag brukar.", "Struntar i det."],
     "Chefen vet vad som gäller och kan fråga informationssäkerhetssamordnaren."),
    ("Får en kollega låna din inloggning för att hinna klart?",
     ["Nej, aldrig.", "Ja, om kollegan är stressad.", "Ja, om chefen säger det."],
     "Allt som görs med din inloggning loggas i ditt namn."),
    ("När ska en incident rapporteras?",
     ["Samma dag, så snart du upptäcker den.", "Vid nästa arbetsplatsträff.",
      "Bara om en kund klagar."],
     "Ju tidigare vi vet, desto mer kan vi göra för att begränsa skadan."),
    ("Var förvarar du papper med personuppgifter när du inte använder dem?",
     ["Inlåsta.", "På skrivbordet.", "I bilen."],
     "Papper med personuppgifter ska vara inlåsta när ingen använder dem."),
    ("Vem får ta del av uppgifter om en kund?",
     ["Den som behöver uppgifterna i sitt arbete.", "Alla i arbetslaget.",
      "Den som frågar vänligt."],
     "Behörighet följer behovet i arbetet, inte titeln."),
]


@dataclass
class RoutineSpec:
    """Everything that makes one generated routine; pure data, derived from a seed."""

    number: int
    slug: str
    title: str
    owner: str
    audience: list[str]
    mandatory: bool
    review_months: int
    tags: list[str]
    related: list[str]
    links: list[tuple[str, str]]           # (title, file name) of routines linked in the text
    bodies: list[str]                      # one per approved version
    approvals: list[tuple[dt.date, dt.date, str, str]]  # (submitted, approved, by, decision)
    quiz: dict | None = None
    renew_months: int | None = None  # acknowledgements expire (only with `renew_every`)

    @property
    def id(self) -> str:
        return f"RUT-{self.number:04d}"

    @property
    def shown(self) -> str:
        return f"{ROUTINE.folder}/{self.slug}.md"


def _titles(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    combos = [(a, o, c) for a in ACTIONS for o in OBJECTS for c in CONTEXTS]
    if count > len(combos):
        raise ValueError(f"at most {len(combos)} routines can be generated")
    return rng.sample(combos, count)


def _body(rng: random.Random, obj: str, ctx: str, audience_names: str,
          links: list[tuple[str, str]], revision: int = 0) -> str:
    purpose = " ".join(s.format(obj=obj, ctx=ctx) for s in rng.sample(PURPOSE, 3))
    steps = [s.format(obj=obj, ctx=ctx) for s in rng.sample(STEPS, rng.randint(8, 11))]
    if revision:
        steps.append(f"Från version {revision + 1}: gå igenom rutinen med din chef vid "
                     "nästa arbetsplatsträff.")
    parts = [f"## Syfte\n\n{purpose}\n",
             f"## Gäller för\n\nAlla medarbetare i målgruppen ({audience_names}), även "
             "vikarier, timanställda och praktikanter.\n",
             "## Så här gör du\n\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(steps, 1))
             + "\n"]
    if rng.random() < 0.4:
        heading, text = rng.choice(WARNINGS)
        parts.append(f'!!! warning "{heading}"\n    {text}\n')
    parts.append("## Ansvar\n\n" + " ".join(rng.sample(RESPONSIBILITY, 3)) + "\n")
    parts.append("## Om något går fel\n\n" + "\n".join(
        f"- {p}" for p in rng.sample(PROBLEMS, 3)) + "\n")
    background = rng.sample(BACKGROUND, 5)
    text = "## Bakgrund\n\n" + " ".join(background)
    if links:
        text += "\n\nLäs också " + ", ".join(f"[{t}]({f})" for t, f in links) + "."
    parts.append(text + "\n")
    parts.append("## Uppföljning\n\n" + " ".join(rng.sample(FOLLOW_UP, 3)) + "\n")
    return "\n".join(parts)


def _quiz(rng: random.Random, spec_id: str, title: str, obj: str) -> dict:
    questions = []
    for n, (text, choices, explanation) in enumerate(rng.sample(QUESTIONS, rng.randint(3, 5)),
                                                     1):
        order = rng.sample(range(len(choices)), len(choices))
        questions.append({
            "id": f"fraga-{n}", "text": text.format(obj=obj),
            "choices": [{"text": choices[i], **({"correct": True} if i == 0 else {})}
                        for i in order],
            "explanation": explanation,
        })
    return {"id": spec_id.lower(), "title": f"Kunskapstest: {title}", "version": 1,
            "pass_mark": 0.8, "questions": questions}


def specs(count: int, organisation: dict, seed: int = 2026,
          today: dt.date | None = None, renew_every: int = 0) -> list[RoutineSpec]:
    """The routines of a corpus: deterministic for a given count and seed. With
    `renew_every` = n, every n-th mandatory routine is acknowledged again every 12 months
    (`renew_months`); the rest of the corpus is the same as without."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    names = {a["id"]: a["name"] for group in ("units", "roles") for a in organisation[group]}
    audiences = [a for a in names if a != "alla"]
    titles = _titles(rng, count)
    result: list[RoutineSpec] = []
    for number, (action, obj, ctx) in enumerate(titles, 1):
        slug, title = None, f"{action} {obj} {ctx}"
        if number == 1:
            (slug, title), obj, ctx = LINKED_FROM_FRAME, "incidenter", "i verksamheten"
        audience = ["alla"] if rng.random() < 0.1 else rng.sample(audiences, rng.randint(1, 2))
        earlier = result[-50:]
        related = rng.sample(earlier, min(len(earlier), rng.randint(0, 3)))
        linked = related[:1] if related and rng.random() < 0.7 else []
        versions = 2 if rng.random() < 0.1 else 1
        first = today - dt.timedelta(days=rng.randint(30, 420))
        approvals = []
        for version in range(versions):
            approved = first + dt.timedelta(days=version * rng.randint(10, 25))
            approved = min(approved, today)
            who, short = rng.choice(DECIDERS)
            approvals.append((approved - dt.timedelta(days=rng.randint(1, 30)), approved, who,
                              f"{short} {approved.isoformat()} § {rng.randint(1, 20)}"))
        audience_names = ", ".join(names[a] for a in audience)
        links = [(r.title, f"{r.slug}.md") for r in linked]
        bodies = [_body(rng, obj, ctx, audience_names, links, revision=v)
                  for v in range(versions)]
        spec = RoutineSpec(
            number=number, slug=slug or "", title=title, owner=rng.choice(OWNERS),
            audience=audience, mandatory=rng.random() < 0.4,
            review_months=rng.choice([12, 12, 12, 24]),
            tags=rng.sample(TAGS, rng.randint(1, 3)),
            related=[r.id for r in related], links=links, bodies=bodies, approvals=approvals)
        if not spec.slug:
            spec.slug = slugify(title)
        if rng.random() < 0.2:
            spec.quiz = _quiz(rng, spec.id, title, obj)
        if renew_every and spec.mandatory and number % renew_every == 0:
            spec.renew_months = 12  # decided without the generator: nothing else changes
        result.append(spec)
    return result


# -- writing, exactly as the CLI does -------------------------------------------------------

def _flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def draft_text(spec: RoutineSpec, body: str) -> str:
    """The working copy as an author writes it before `rutinportal submit`."""
    lines = [f"id: {spec.id}", f"title: {spec.title}", f"owner: {spec.owner}",
             "status: draft", f"audience: {_flow(spec.audience)}", "version: 1",
             f"mandatory: {'true' if spec.mandatory else 'false'}",
             f"review_months: {spec.review_months}"]
    if spec.renew_months:
        lines.append(f"renew_months: {spec.renew_months}")
    if spec.quiz:
        lines.append(f"quiz: {spec.quiz['id']}")
    if spec.related:
        lines.append(f"related: {_flow(spec.related)}")
    lines.append(f"tags: {_flow(spec.tags)}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def _replace_body(text: str, body: str) -> str:
    end = text.index("\n---\n", 3) + len("\n---\n")
    return text[:end] + "\n" + body


def submit_text(text: str, submitted_on: dt.date) -> str:
    """`lifecycle.submit` on one working copy."""
    return update_front_matter(text, {"status": "submitted", "submitted_on": submitted_on})


def approve_text(root: Path, text: str, shown: str, by: str, decision: str,
                 approved_on: dt.date, quiz_text: str | None = None) -> tuple[str, Path, str]:
    """`lifecycle.approve` on one submitted working copy: (working copy, snapshot file, text)."""
    source = read_front_matter(text)
    values, problems = WorkingCopyFields.validate(source.meta, shown)
    if problems:
        raise ValueError(f"{shown}: " + "; ".join(map(str, problems)))
    content, body = Content.from_values(values), source.body
    approval = Approval(Approval.from_values(values).submitted_on, by.strip(), approved_on,
                        decision.strip())
    record = {"approved_by": approval.approved_by, "approved_on": approval.approved_on,
              "decision": approval.decision}
    path = snapshot_path(root, content.id, content.version)
    snapshot, sha = render_snapshot(content, approval, shown, body, quiz_text)
    working = update_front_matter(text, {"status": "approved", **record,
                                         "approved_sha256": sha})
    return working, path, snapshot


def revise_text(text: str, version: int) -> str:
    """`lifecycle.revise` on one approved working copy, then the coordinator's change note."""
    text = update_front_matter(text, {"status": "draft", "version": version + 1,
                                      **dict.fromkeys(PREVIOUS_VERSION)})
    return update_front_matter(text, {"change_note": CHANGE_NOTE})


def routine_files(root: Path, spec: RoutineSpec) -> dict[Path, str]:
    """Every file one approved routine consists of: working copy, snapshots, quiz."""
    files: dict[Path, str] = {}
    quiz_text = yaml.safe_dump(spec.quiz, allow_unicode=True, sort_keys=False, width=100) \
        if spec.quiz else None
    text = draft_text(spec, spec.bodies[0])
    for version, (body, (submitted, approved, by, decision)) in enumerate(
            zip(spec.bodies, spec.approvals), 1):
        if version > 1:
            text = _replace_body(revise_text(text, version - 1), body)
        text = submit_text(text, submitted)
        text, path, snapshot = approve_text(root, text, spec.shown, by, decision, approved,
                                            quiz_text)
        files[path] = snapshot
        if quiz_text is not None:
            files[frozen_quiz_path(root, spec.id, version)] = quiz_text
    files[root / spec.shown] = text
    if spec.quiz:
        files[root / "quizzes" / f"{spec.quiz['id']}.yml"] = quiz_text
    return files


def copy_frame(root: Path) -> None:
    for item in FRAME:
        source, target = REPO / item, root / item
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    for folder in EMPTY_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)


def organisation_of(root: Path) -> dict:
    return yaml.safe_load((root / "organisation.yml").read_text(encoding="utf-8"))


def make_corpus(root: Path, count: int, seed: int = 2026, verify: bool = True,
                renew_every: int = 0) -> Path:
    """A repository at `root` (created) with `count` approved routines; checked when `verify`.
    `renew_every`: see `specs`."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=False)
    copy_frame(root)
    for spec in specs(count, organisation_of(root), seed, renew_every=renew_every):
        for path, text in routine_files(root, spec).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if verify:
        from rutinportal.content.catalogue import Catalogue

        catalogue = Catalogue.load(root)
        # The lint's warnings about generated quizzes (answer lengths) are not problems.
        problems = catalogue.problems + [w for w in catalogue.warnings
                                         if not w.path.startswith("quizzes/")]
        if problems or len(catalogue.documents) != count:
            raise AssertionError("the generated corpus does not pass rutinportal check:\n"
                                 + "\n".join(map(str, problems[:20])))
    return root


def self_check(workdir: Path, count: int = 4, seed: int = 7) -> None:
    """Write a few routines through `rutinportal.approval.lifecycle` and compare every byte
    with ours.

    The sample has routines with one and with two approved versions, quizzes and relations.
    """
    from rutinportal.approval import lifecycle
    from rutinportal.content.catalogue import Catalogue

    cli_root, our_root = workdir / "cli", workdir / "ours"
    shutil.rmtree(workdir, ignore_errors=True)
    for root in (cli_root, our_root):
        root.mkdir(parents=True)
        copy_frame(root)
    sample = specs(count, organisation_of(cli_root), seed)
    sample[-1] = _with_versions(sample[-1])
    for spec in sample:
        for path, text in routine_files(our_root, spec).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (cli_root / spec.shown).write_text(draft_text(spec, spec.bodies[0]), encoding="utf-8")
        if spec.quiz:
            source = our_root / "quizzes" / f"{spec.quiz['id']}.yml"
            shutil.copy2(source, cli_root / "quizzes" / source.name)
    for version in range(max(len(s.bodies) for s in sample)):
        for spec in sample:
            if version >= len(spec.bodies):
                continue
            submitted, approved, by, decision = spec.approvals[version]
            if version:
                lifecycle.revise(Catalogue.load(cli_root), [spec.id])
                path = cli_root / spec.shown
                text = update_front_matter(path.read_text(encoding="utf-8"),
                                           {"change_note": CHANGE_NOTE})
                path.write_text(_replace_body(text, spec.bodies[version]), encoding="utf-8")
            lifecycle.submit(Catalogue.load(cli_root), [spec.id], submitted)
            lifecycle.approve(Catalogue.load(cli_root), [spec.id], by, decision, approved)
    ours = {p.relative_to(our_root): p.read_bytes() for p in our_root.rglob("*") if p.is_file()}
    cli = {p.relative_to(cli_root): p.read_bytes() for p in cli_root.rglob("*") if p.is_file()}
    if ours != cli:
        differ = sorted(str(k) for k in set(ours) | set(cli) if ours.get(k) != cli.get(k))
        raise AssertionError("the corpus writer differs from rutinportal.approval.lifecycle "
                             "in: "
                             + ", ".join(differ))


def _with_versions(spec: RoutineSpec) -> RoutineSpec:
    """`spec` with two approved versions (for the self-check sample)."""
    if len(spec.bodies) > 1:
        return spec
    submitted, approved, by, decision = spec.approvals[0]
    later = approved + dt.timedelta(days=14)
    spec.bodies = [spec.bodies[0], spec.bodies[0] + "\nEn ändring i sak.\n"]
    spec.approvals = [spec.approvals[0],
                      (later - dt.timedelta(days=2), later, by, decision + " (rev)")]
    return spec
