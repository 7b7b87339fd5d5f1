"""The roster: parsing and validating the HR export, and importing it into the database."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from rutinportal.content.problems import ValidationFailed
from rutinportal.content.organisation import Organisation, load_organisation
from rutinportal.portal.storage.db import session_factory
from rutinportal.portal.storage.models import Acknowledgement, Person, QuizAttempt, RosterImport
from rutinportal.portal.people.roster import ImportResult, import_roster
from rutinportal.portal.people.roster_file import parse_roster

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "demo" / "personal.csv"
UTC = dt.timezone.utc
HEADER = "personid;namn;epost;enheter;roller;chef_for\n"


@pytest.fixture(scope="module")
def organisation() -> Organisation:
    organisation, problems = load_organisation(REPO)
    assert problems == []
    return organisation


@pytest.fixture
def roster_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write `personal.csv` in the working folder, so messages name it like the CLI does."""
    monkeypatch.chdir(tmp_path)

    def write(text: str | bytes, name: str = "personal.csv") -> Path:
        path = Path(name)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8", newline="")
        return path

    return write


def messages(path: Path, organisation: Organisation) -> list[str]:
    rows, problems = parse_roster(path, organisation)
    return [str(p) for p in sorted(problems, key=lambda p: (p.line or 0, p.key or ""))]


def fresh(engine: Engine) -> Session:
    """A new session, so that what we check is read back from the database."""
    return session_factory(engine)()


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite gives back naive datetimes (stored in UTC); PostgreSQL aware ones.
    if value is None or value.tzinfo:
        return value
    return value.replace(tzinfo=UTC)


# -- the demo roster ----------------------------------------------------------------------


def test_the_demo_roster_is_valid(organisation):
    rows, problems = parse_roster(DEMO, organisation)

    assert problems == []
    assert len(rows) >= 60
    assert {u for r in rows for u in r.units} == {u.id for u in organisation.units}
    assert all(r.units for r in rows)
    assert all("alla" in r.roles for r in rows)
    assert all(r.person_id.isascii() and r.person_id == r.person_id.lower() for r in rows)
    assert all(r.email is None or r.email.endswith("@valfard.example") for r in rows)
    with_role = lambda role: [r for r in rows if role in r.roles]  # noqa: E731
    managers = [r for r in rows if r.manages]
    assert len(managers) >= 10
    assert all("chefer" in r.roles and set(r.manages) <= set(r.units) for r in managers)
    leadership = with_role("sektorsledning")
    assert len(leadership) == 3
    assert all("chefer" in r.roles and r.units == ("utveckling-stod",) for r in leadership)
    assert [r.units for r in with_role("samordnare")] == [("utveckling-stod",)]
    assert len(with_role("disk")) == 2
    assert len(with_role("systemforvaltare")) == 2
    assert any(len(r.units) == 2 for r in rows)


def test_the_demo_roster_gives_every_owner_of_the_example_content_a_person(organisation):
    """Each `owner` of the example documents is the job title (`befattning`) of one demo
    person with an e-mail address: every review reminder reaches somebody."""
    rows, _ = parse_roster(DEMO, organisation)
    owners = {line.partition(":")[2].partition("#")[0].strip()
              for path in sorted((REPO / "routines").glob("*.md"))
              for line in path.read_text(encoding="utf-8").splitlines()
              if line.startswith("owner:")}
    held = {r.title.casefold(): r for r in rows if r.title}
    assert owners and all(owner.casefold() in held for owner in owners), owners - set(held)
    assert all(held[o.casefold()].email for o in owners)
    assert held["sektorchef välfärd"].person_id == "karin.ostberg"
    assert held["verksamhetschef hemtjänst"].manages == ("hemtjanst",)


def test_the_demo_roster_imports_cleanly(engine, session, organisation):
    result = import_roster(session, DEMO, organisation)

    rows, _ = parse_roster(DEMO, organisation)
    assert result == ImportResult(added=len(rows), updated=0, deactivated=0, unchanged=0)
    with fresh(engine) as check:
        people = check.scalars(select(Person)).all()
        assert len(people) == len(rows) >= 60
        assert all(p.active for p in people)
        assert sum(1 for p in people if p.manages) >= 10
        lind = check.scalar(select(Person).where(Person.person_id == "karin.ostberg"))
        assert (lind.name, lind.title, lind.units, lind.roles, lind.manages) == (
            "Karin Östberg", "Sektorchef Välfärd", ["utveckling-stod"],
            ["alla", "chefer", "sektorsledning"], [])
        record = check.scalar(select(RosterImport))
        assert (record.file_name, record.added, record.updated, record.deactivated) == (
            "personal.csv", len(rows), 0, 0)

    again = import_roster(session, DEMO, organisation)

    assert again == ImportResult(added=0, updated=0, deactivated=0, unchanged=len(rows))


# -- formats Excel and HR systems produce ---------------------------------------------------


def test_comma_bom_crlf_any_case_and_column_order(roster_file, organisation):
    path = roster_file(b"\xef\xbb\xbf Chef_For ,NAMN,PersonID,Roller,Enheter,epost\r\n"
                       b",\"Lind, Anna\",anna.lind,,hemtjanst| larm|,\r\n"
                       b"\r\n"
                       b",,,,,\r\n"
                       b"hemtjanst,G\xc3\xb6ran Holm,goran.holm,alla|chefer,hemtjanst,"
                       b"goran.holm@valfard.example\r\n")

    rows, problems = parse_roster(path, organisation)

    assert problems == []
    assert [(r.line, r.person_id, r.name, r.email, r.units, r.roles, r.manages)
            for r in rows] == [
        (2, "anna.lind", "Lind, Anna", None, ("hemtjanst", "larm"), ("alla",), ()),
        (5, "goran.holm", "Göran Holm", "goran.holm@valfard.example", ("hemtjanst",),
         ("alla", "chefer"), ("hemtjanst",)),
    ]


def test_only_the_required_columns(roster_file, organisation):
    path = roster_file("namn;personid\nAnna Lind;anna.lind\n")

    rows, problems = parse_roster(path, organisation)

    assert problems == []
    assert [(r.person_id, r.units, r.roles, r.manages, r.title) for r in rows] == [
        ("anna.lind", (), ("alla",), (), None)]


def test_the_job_title_column(roster_file, organisation):
    """`befattning` is optional, as a column and per person; spaces are normalised and the
    case kept as HR writes it."""
    path = roster_file("personid;namn;Befattning\n"
                       "anna.lind;Anna Lind;  Verksamhetschef   hemtjänst \n"
                       "per.holm;Per Holm;\n")

    rows, problems = parse_roster(path, organisation)

    assert problems == []
    assert [(r.person_id, r.title) for r in rows] == [
        ("anna.lind", "Verksamhetschef hemtjänst"), ("per.holm", None)]


# -- bad files: every problem, pinned --------------------------------------------------------

BAD = {
    "misspelt-unit": (
        HEADER + "anna.lind;Anna Lind;;hemtjanst;;\n"
                 "per.holm;Per Holm;;hemtjänst|Larm;;\n",
        ["personal.csv:3: enheter: förväntade enhets-id ur organisation.yml, fick 'hemtjänst' "
         "(menade du hemtjanst?)",
         "personal.csv:3: enheter: förväntade enhets-id ur organisation.yml, fick 'Larm' "
         "(menade du larm?)"]),
    "duplicate-personid": (
        HEADER + "anna.lind;Anna Lind;;hemtjanst;;\n"
                 "P1002;Per Holm;;larm;;\n"
                 "eva.berg;Eva Berg;;larm;;\n"
                 "p1002;Per Holm;;larm;;\n",
        ["personal.csv:5: personid: förväntade ett unikt personid, fick 'p1002' som också "
         "finns på rad 3"]),
    "empty-name-and-personid": (
        HEADER + "anna.lind; ;;hemtjanst;;\n"
                 ";Per Holm;;larm;;\n"
                 "eva berg;Eva Berg;;larm;;\n",
        ["personal.csv:2: namn: förväntade personens namn, fick en tom cell",
         "personal.csv:3: personid: förväntade ett personid, fick en tom cell",
         "personal.csv:4: personid: förväntade ett personid utan mellanslag, högst 64 tecken, "
         "fick 'eva berg'"]),
    "role-in-units-and-unit-in-roles": (
        HEADER + "anna.lind;Anna Lind;;hemtjanst|chefer;;\n"
                 "per.holm;Per Holm;;larm;larm|disk;\n"
                 "eva.berg;Eva Berg;;larm;ledning|vikarie;\n",
        ["personal.csv:2: enheter: förväntade enhets-id ur organisation.yml, fick 'chefer', "
         "som är en roll (ange den i kolumnen roller)",
         "personal.csv:3: roller: förväntade roll-id ur organisation.yml, fick 'larm', som är "
         "en enhet (ange den i kolumnen enheter)",
         "personal.csv:4: roller: förväntade roll-id ur organisation.yml, fick 'ledning' "
         "(menade du sektorsledning?)",
         "personal.csv:4: roller: förväntade roll-id ur organisation.yml, fick 'vikarie'"]),
    "manages-a-role-or-unknown-unit": (
        HEADER + "anna.lind;Anna Lind;;hemtjanst;chefer;hemtjansten\n"
                 "per.holm;Per Holm;;larm;chefer;chefer\n",
        ["personal.csv:2: chef_for: förväntade enhets-id ur organisation.yml, fick "
         "'hemtjansten' (menade du hemtjanst?)",
         "personal.csv:3: chef_for: förväntade enhets-id ur organisation.yml, fick 'chefer', "
         "som är en roll (ange den i kolumnen roller)"]),
    "bad-email": (
        HEADER + "anna.lind;Anna Lind;anna.lind.valfard.example;hemtjanst;;\n"
                 "per.holm;Per Holm;per@holm@valfard.example;larm;;\n"
                 "eva.berg;Eva Berg;eva.berg@valfard.example;larm;;\n",
        ["personal.csv:2: epost: förväntade en e-postadress med ett @, fick "
         "'anna.lind.valfard.example'",
         "personal.csv:3: epost: förväntade en e-postadress med ett @, fick "
         "'per@holm@valfard.example'"]),
    "unknown-and-duplicate-columns": (
        "personid;namn;chef-for;avdelning;enheter;Enheter\n"
        "anna.lind;Anna Lind;;Hemtjänst norr;hemtjanst;hemtjanst\n",
        ["personal.csv:1: avdelning: förväntade en av kolumnerna personid, namn, epost, "
         "enheter, roller, chef_for, befattning, fick 'avdelning'",
         "personal.csv:1: chef-for: förväntade en av kolumnerna personid, namn, epost, "
         "enheter, roller, chef_for, befattning, fick 'chef-for' (menade du chef_for?)",
         "personal.csv:1: enheter: förväntade kolumnen en gång, fick den också i kolumn 6 "
         "(först i kolumn 5)"]),
    "missing-required-columns": (
        "id;enheter\nanna.lind;hemtjanst\n",
        ["personal.csv:1: id: förväntade en av kolumnerna personid, namn, epost, enheter, "
         "roller, chef_for, befattning, fick 'id'",
         "personal.csv:1: namn: förväntade kolumnen namn i rubrikraden, fick id, enheter",
         "personal.csv:1: personid: förväntade kolumnen personid i rubrikraden, fick id, "
         "enheter"]),
    "wrong-number-of-fields": (
        HEADER + "anna.lind;Anna Lind;;hemtjanst;;\n"
                 "per.holm;Holm; Per;;larm;;\n"
                 "eva.berg;Eva Berg;;larm\n",
        ["personal.csv:3: förväntade 6 fält som rubrikraden, fick 7 (saknas citattecken runt "
         "ett fält med ;?)",
         "personal.csv:4: förväntade 6 fält som rubrikraden, fick 4 (saknas citattecken runt "
         "ett fält med ;?)"]),
    "data-under-an-empty-heading": (
        "personid;namn;\nanna.lind;Anna Lind;\nper.holm;Per Holm;hemtjanst\n",
        ["personal.csv:3: förväntade en tom cell i kolumn 3 som saknar rubrik, fick "
         "'hemtjanst'"]),
    "empty-file": (
        "\n",
        ["personal.csv:1: förväntade en rubrikrad med kolumnerna personid, namn, epost, "
         "enheter, roller, chef_for, befattning, fick en tom fil"]),
    "job-title-too-long": (
        "personid;namn;befattning\n"
        f"anna.lind;Anna Lind;{'Verksamhetschef ' * 13}\n"
        "per.holm;Per Holm;Enhetschef\n",
        ["personal.csv:2: befattning: förväntade en befattning på högst 200 tecken, fick "
         "207 tecken"]),
    "not-utf-8": (
        ("personid;namn\nanna.lind;Anna Lind\ngoran.holm;G\xf6ran Holm\n").encode("latin-1"),
        ['personal.csv:3: förväntade text i UTF-8, fick andra tecken (spara filen som '
         '"CSV UTF-8" i Excel)']),
    "line-numbers-after-a-quoted-line-break": (
        HEADER + 'anna.lind;"Anna\nLind";;hemtjanst;;\n'
                 "per.holm;Per Holm;;hemtjänst;;\n",
        ["personal.csv:4: enheter: förväntade enhets-id ur organisation.yml, fick 'hemtjänst' "
         "(menade du hemtjanst?)"]),
    "many-problems-at-once": (
        "personid,namn,epost,enheter,roller,chef_for\n"
        "anna.lind,Anna Lind,anna.lind@valfard.example,hemtjanst,,\n"
        "per.holm,,per.holm,hemtjanst,chefer,hemtjänst\n"
        "anna.lind,Anna Lind,,ifo,samordnare,\n",
        ["personal.csv:3: chef_for: förväntade enhets-id ur organisation.yml, fick 'hemtjänst' "
         "(menade du hemtjanst?)",
         "personal.csv:3: epost: förväntade en e-postadress med ett @, fick 'per.holm'",
         "personal.csv:3: namn: förväntade personens namn, fick en tom cell",
         "personal.csv:4: personid: förväntade ett unikt personid, fick 'anna.lind' som också "
         "finns på rad 2"]),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_rosters_are_reported_in_full(case, roster_file, organisation):
    text, expected = BAD[case]
    path = roster_file(text)

    assert messages(path, organisation) == expected


def test_a_missing_file(roster_file, organisation):
    assert messages(Path("saknas.csv"), organisation) == ["saknas.csv: filen finns inte"]


def test_the_import_reports_all_problems_in_one_error(roster_file, organisation):
    path = roster_file(BAD["many-problems-at-once"][0])

    with pytest.raises(ValidationFailed) as caught:
        import_roster(None, path, organisation)  # type: ignore[arg-type]  # never reached

    assert len(caught.value.problems) == 4
    assert str(caught.value).splitlines()[-1] == "4 problem hittades. Rätta dem och försök igen."


def test_nothing_is_written_when_the_file_has_problems(engine, session, roster_file,
                                                       organisation):
    good = roster_file(HEADER + "anna.lind;Anna Lind;;hemtjanst;;\n"
                                "per.holm;Per Holm;;larm;;\n")
    import_roster(session, good, organisation, today=dt.date(2026, 1, 1))

    for case, (text, _) in BAD.items():
        path = roster_file(text)
        with pytest.raises(ValidationFailed):
            import_roster(session, path, organisation)

    with fresh(engine) as check:
        people = check.scalars(select(Person).order_by(Person.person_id)).all()
        assert [(p.person_id, p.name, p.active, p.units) for p in people] == [
            ("anna.lind", "Anna Lind", True, ["hemtjanst"]),
            ("per.holm", "Per Holm", True, ["larm"])]
        assert check.scalar(select(func.count()).select_from(RosterImport)) == 1


# -- re-imports --------------------------------------------------------------------------------

FIRST = HEADER + """\
anna.lind;Anna Lind;anna.lind@valfard.example;hemtjanst;;
per.holm;Per Holm;per.holm@valfard.example;larm;chefer;larm
eva.berg;Eva Berg;;ifo;disk;
"""
SECOND = HEADER + """\
anna.lind;Anna Lind Berg;anna.lindberg@valfard.example;hemtjanst|larm;;
eva.berg;Eva Berg;;ifo;disk;
omar.ali;Omar Ali;;komvux;;
"""
THIRD = HEADER + """\
anna.lind;Anna Lind Berg;anna.lindberg@valfard.example;hemtjanst|larm;;
eva.berg;Eva Berg;;ifo;disk;
omar.ali;Omar Ali;;komvux;;
per.holm;Per Holm;per.holm@valfard.example;larm;;
"""
MARCH = dt.datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


def test_reimport_updates_deactivates_and_reactivates(engine, session, roster_file,
                                                      organisation):
    first = import_roster(session, roster_file(FIRST), organisation,
                          today=dt.datetime(2026, 2, 1, 7, 30, tzinfo=UTC))
    assert first == ImportResult(added=3, updated=0, deactivated=0, unchanged=0)
    with fresh(engine) as setup:
        pk = {p.person_id: p.id for p in setup.scalars(select(Person))}
        setup.add_all([
            Acknowledgement(person_pk=pk["anna.lind"], document_id="RUT-001", version=2,
                            sha256="a" * 64, source="web"),
            Acknowledgement(person_pk=pk["per.holm"], document_id="RUT-001", version=2,
                            sha256="a" * 64, source="web"),
            QuizAttempt(person_pk=pk["per.holm"], quiz_id="nis2-chefer", quiz_version=1,
                        answers={"q1": ["a"]}, score=1.0, passed=True),
        ])
        setup.commit()

    second = import_roster(session, roster_file(SECOND), organisation, today=MARCH)

    assert second == ImportResult(added=1, updated=1, deactivated=1, unchanged=1)
    with fresh(engine) as check:
        people = {p.person_id: p for p in check.scalars(select(Person))}
        anna, per = people["anna.lind"], people["per.holm"]
        assert (anna.id, anna.name, anna.email, anna.units, anna.active) == (
            pk["anna.lind"], "Anna Lind Berg", "anna.lindberg@valfard.example",
            ["hemtjanst", "larm"], True)
        assert as_utc(anna.updated_at) == MARCH
        # Per left: kept, with his unit, role and records, but no longer active.
        assert (per.id, per.active, as_utc(per.deactivated_at), per.units, per.manages) == (
            pk["per.holm"], False, MARCH, ["larm"], ["larm"])
        acknowledged = check.scalars(select(Acknowledgement.person_pk)
                                     .order_by(Acknowledgement.person_pk)).all()
        assert acknowledged == sorted([pk["anna.lind"], pk["per.holm"]])
        assert check.scalar(select(QuizAttempt.person_pk)) == pk["per.holm"]
        assert people["omar.ali"].active and people["eva.berg"].roles == ["alla", "disk"]

    # Leaving twice is not counted twice.
    assert import_roster(session, roster_file(SECOND), organisation) == ImportResult(
        added=0, updated=0, deactivated=0, unchanged=3)

    third = import_roster(session, roster_file(THIRD), organisation)

    assert third == ImportResult(added=0, updated=1, deactivated=0, unchanged=3)
    with fresh(engine) as check:
        per = check.scalar(select(Person).where(Person.person_id == "per.holm"))
        assert (per.id, per.active, per.deactivated_at) == (pk["per.holm"], True, None)
        # Back without his manager role: the new roster says so.
        assert (per.units, per.roles, per.manages) == (["larm"], ["alla"], [])
        assert check.scalar(select(func.count()).select_from(Acknowledgement)) == 2
        imports = check.scalars(select(RosterImport).order_by(RosterImport.id)).all()
        assert [(i.added, i.updated, i.deactivated) for i in imports] == [
            (3, 0, 0), (1, 1, 1), (0, 0, 0), (0, 1, 0)]


def titles(session: Session) -> dict[str, str | None]:
    return {pid: title for pid, title in session.execute(select(Person.person_id,
                                                                Person.title))}


def test_reimport_updates_the_job_title(engine, session, roster_file, organisation):
    titled = ("personid;namn;epost;befattning\n"
              "anna.lind;Anna Lind;anna.lind@valfard.example;Enhetschef hemtjänst\n"
              "per.holm;Per Holm;;Verksamhetschef hemtjänst\n")
    import_roster(session, roster_file(titled), organisation)
    promoted = titled.replace("Enhetschef hemtjänst", "Verksamhetschef larm")

    assert import_roster(session, roster_file(promoted), organisation) == ImportResult(
        added=0, updated=1, deactivated=0, unchanged=1)
    with fresh(engine) as check:
        assert titles(check) == {
            "anna.lind": "Verksamhetschef larm", "per.holm": "Verksamhetschef hemtjänst"}

    # A file without the column says nobody has a title (as one without `epost` does).
    untitled = roster_file("personid;namn;epost\n"
                           "anna.lind;Anna Lind;anna.lind@valfard.example\n"
                           "per.holm;Per Holm;\n")
    assert import_roster(session, untitled, organisation) == ImportResult(
        added=0, updated=2, deactivated=0, unchanged=0)
    with fresh(engine) as check:
        assert titles(check) == {
            "anna.lind": None, "per.holm": None}
