"""Generate the site's virtual pages from the catalogue's publications.

Every function returns Markdown (with front-matter) for one page; `generate` returns them all
as `{src_uri: markdown}`. Nothing here knows MkDocs: the adapter turns the result into files.
Links are written as relative links between source paths, so MkDocs resolves and checks them.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from markupsafe import Markup

from . import quiz as quizzes
from .catalogue import Catalogue, Publication
from .documents import STATUS_NAMES
from .organisation import Audience
from .rendering import environment

REGISTER = "rutiner/index.md"
READING_LISTS = "laslistor/index.md"
NEWS = "nytt.md"
COURSES = "utbildning/index.md"
LESSONS = "lardomar/index.md"
MY_PAGE = "min-sida.md"
FOLLOW_UP = "uppfoljning.md"
QUIZ_FOLDER = "quiz"


def link(from_uri: str, to_uri: str) -> str:
    """A relative Markdown link from one source page to another."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def front_matter(title: str, **extra: Any) -> Markup:
    """YAML front-matter for a generated page (keys with empty values left out)."""
    data = {"title": title, **{k: v for k, v in extra.items() if v}}
    return Markup("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n")


def reading_list_uri(audience_id: str) -> str:
    return f"laslistor/{audience_id}.md"


def quiz_uri(quiz_id: str) -> str:
    return f"{QUIZ_FOLDER}/{quiz_id}.md"


def reading_list_quiz_id(audience_id: str) -> str:
    return f"laslista-{audience_id}"


@dataclass
class SiteContext:
    """What every page generator needs: the catalogue, the publications and the mode."""

    catalogue: Catalogue
    publications: list[Publication]
    preview: bool
    today: dt.date

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.publications}
        self.published_quizzes = {p.meta["quiz"]: p for p in self.publications
                                  if p.meta.get("quiz") in self.catalogue.quizzes}

    def audience_names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.catalogue.organisation.name(i) for i in ids)

    def of_kind(self, name: str) -> list[Publication]:
        return [p for p in self.publications if p.kind.name == name]

    def course_of(self, pub: Publication) -> str:
        return posixpath.dirname(pub.site_path).split("/")[-1]

    def in_reading_list(self, pub: Publication, audience: Audience) -> bool:
        audiences = pub.meta["audience"]
        return audience.id in audiences or "alla" in audiences


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def document_page(ctx: SiteContext, pub: Publication) -> str:
    uri = pub.site_path
    quiz_id = pub.meta.get("quiz")
    quiz = ctx.catalogue.quizzes.get(quiz_id) if quiz_id else None
    related = [{"id": other.id, "title": other.title, "link": link(uri, other.site_path)}
               for other in (ctx.by_id.get(i) for i in pub.meta.get("related") or []) if other]
    next_module = None
    if pub.kind.name == "training":
        siblings = sorted((p for p in ctx.of_kind("training")
                           if ctx.course_of(p) == ctx.course_of(pub)),
                          key=lambda p: (p.meta.get("order") or 0, p.id))
        later = [p for p in siblings if (p.meta.get("order") or 0) > (pub.meta.get("order") or 0)]
        if later:
            next_module = {"title": later[0].title, "link": link(uri, later[0].site_path)}
    mandatory_text = {
        "routine": "Ja – ska kvitteras av alla i målgruppen",
        "training": "Ja – ska genomföras av alla i målgruppen",
    }.get(pub.kind.name, "Ja")
    return _render(
        "document_page.md.j2",
        front_matter=front_matter(pub.title, tags=pub.meta.get("tags") or None),
        pub=pub,
        status_name=STATUS_NAMES.get(pub.status, pub.status).lower(),
        audience_names=ctx.audience_names(pub.meta["audience"]),
        mandatory_text=mandatory_text,
        body=Markup(pub.body.rstrip() + "\n"),
        quiz_link=link(uri, quiz_uri(quiz_id)) if quiz else None,
        quiz_title=quiz.title if quiz else "",
        related=related,
        next_module=next_module,
        history=[] if pub.draft and not pub.history else list(reversed(pub.history)),
    )


def register_page(ctx: SiteContext) -> str:
    rows = []
    for pub in ctx.of_kind("routine"):
        review = pub.next_review
        rows.append({
            "id": pub.id, "title": pub.title, "link": link(REGISTER, pub.site_path),
            "mandatory": pub.meta.get("mandatory"), "owner": pub.meta["owner"],
            "version": pub.version, "approved_on": pub.approved_on or "utkast",
            "next_review": review or "–", "overdue": bool(review and review < ctx.today),
            "audience": ctx.audience_names(pub.meta["audience"]),
        })
    return _render("register.md.j2",
                   front_matter=front_matter("Rutinregister", hide=["navigation", "toc"]),
                   rows=rows,
                   reading_lists_link=link(REGISTER, READING_LISTS))


def _sorted_for_list(pubs: list[Publication]) -> list[Publication]:
    return sorted(pubs, key=lambda p: (not p.meta.get("mandatory"), p.title.casefold()))


def reading_list_page(ctx: SiteContext, audience: Audience, quiz: Any | None) -> str:
    uri = reading_list_uri(audience.id)
    mine = [p for p in ctx.publications if ctx.in_reading_list(p, audience)]
    routines = []
    for pub in _sorted_for_list([p for p in mine if p.kind.name == "routine"]):
        quiz_id = pub.meta.get("quiz")
        routines.append({
            "id": pub.id, "title": pub.title, "link": link(uri, pub.site_path),
            "version": pub.version, "mandatory": pub.meta.get("mandatory"),
            "acknowledge_from": pub.acknowledge_from,
            "quiz_link": link(uri, quiz_uri(quiz_id)) if quiz_id in ctx.catalogue.quizzes
            else None,
        })
    course_titles = {c.id: c.title for c in ctx.catalogue.courses}
    trainings = [{"title": p.title, "link": link(uri, p.site_path),
                  "course": course_titles.get(ctx.course_of(p), ""),
                  "mandatory": p.meta.get("mandatory"), "minutes": p.meta.get("minutes")}
                 for p in sorted((p for p in mine if p.kind.name == "training"),
                                 key=lambda p: (ctx.course_of(p), p.meta.get("order") or 0))]
    lessons = [{"title": p.title, "link": link(uri, p.site_path)}
               for p in mine if p.kind.name == "lesson"]
    return _render(
        "reading_list.md.j2",
        front_matter=front_matter(f"Läslista: {audience.name}"),
        audience=audience, routines=routines, trainings=trainings, lessons=lessons,
        quiz_link=link(uri, quiz_uri(quiz.id)) if quiz else None,
        quiz_title=quiz.title if quiz else "",
    )


def reading_list_quiz(ctx: SiteContext, audience: Audience) -> Any | None:
    """One quiz from the quizzes of the audience's mandatory routines, or None."""
    sources = [ctx.catalogue.quizzes[p.meta["quiz"]]
               for p in _sorted_for_list(ctx.of_kind("routine"))
               if ctx.in_reading_list(p, audience) and p.meta.get("mandatory")
               and p.meta.get("quiz") in ctx.catalogue.quizzes]
    if not sources:
        return None
    return quizzes.combine(reading_list_quiz_id(audience.id),
                           f"Kunskapstest: läslistan för {audience.name}", sources)


def reading_lists_index(ctx: SiteContext) -> str:
    org = ctx.catalogue.organisation

    def rows(audiences: list[Audience]) -> list[dict]:
        return [{"name": a.name, "link": link(READING_LISTS, reading_list_uri(a.id)),
                 "count": sum(1 for p in ctx.publications if ctx.in_reading_list(p, a))}
                for a in audiences]

    return _render("reading_lists_index.md.j2", front_matter=front_matter("Läslistor"),
                   units=rows(org.units), roles=rows(org.roles))


def news_page(ctx: SiteContext) -> str:
    events = []
    for pub in ctx.publications:
        for snapshot in pub.history:
            if snapshot.version > pub.version:
                continue
            events.append({
                "approved_on": snapshot.meta["approved_on"], "title": pub.title,
                "link": link(NEWS, pub.site_path), "version": snapshot.version,
                "kind": pub.kind.label, "decision": snapshot.meta.get("decision", ""),
                "change": "Ny" if snapshot is pub.history[0] else "Ändrad",
                "reacknowledge": snapshot is not pub.history[0]
                and pub.kind.name == "routine" and snapshot.meta.get("material_change", True),
            })
    events.sort(key=lambda e: (e["approved_on"], e["title"]), reverse=True)
    return _render("news.md.j2", front_matter=front_matter("Nytt och ändrat"), rows=events)


def course_modules(ctx: SiteContext, course_id: str) -> list[Publication]:
    return sorted((p for p in ctx.of_kind("training") if ctx.course_of(p) == course_id),
                  key=lambda p: (p.meta.get("order") or 0, p.id))


def course_page(ctx: SiteContext, course: Any) -> str:
    uri = f"utbildning/{course.id}/index.md"
    modules = []
    for pub in course_modules(ctx, course.id):
        quiz_id = pub.meta.get("quiz")
        modules.append({
            "id": pub.id, "title": pub.title, "link": link(uri, pub.site_path),
            "minutes": pub.meta.get("minutes"), "mandatory": pub.meta.get("mandatory"),
            "quiz": quiz_id if quiz_id in ctx.catalogue.quizzes else None,
            "quiz_link": link(uri, quiz_uri(quiz_id)) if quiz_id in ctx.catalogue.quizzes
            else None,
        })
    return _render("course.md.j2", front_matter=front_matter(course.title), course=course,
                   modules=modules, total_minutes=sum(m["minutes"] or 0 for m in modules))


def courses_index(ctx: SiteContext) -> str:
    rows = []
    for course in ctx.catalogue.courses:
        modules = course_modules(ctx, course.id)
        mandatory = sorted({a for m in modules if m.meta.get("mandatory")
                            for a in m.meta["audience"]})
        rows.append({"title": course.title, "description": course.description,
                     "link": link(COURSES, f"utbildning/{course.id}/index.md"),
                     "count": len(modules),
                     "minutes": sum(m.meta.get("minutes") or 0 for m in modules),
                     "mandatory_for": ctx.audience_names(mandatory).lower()})
    return _render("courses_index.md.j2", front_matter=front_matter("Utbildning"), courses=rows)


def lessons_index(ctx: SiteContext) -> str:
    rows = [{"title": p.title, "link": link(LESSONS, p.site_path),
             "approved_on": p.approved_on or "utkast"}
            for p in sorted(ctx.of_kind("lesson"),
                            key=lambda p: str(p.approved_on or ""), reverse=True)]
    return _render("lessons_index.md.j2", front_matter=front_matter("Lärdomar"), rows=rows)


def quiz_page(ctx: SiteContext, quiz: Any, source: Publication | None,
              reading_list: Audience | None = None) -> str:
    uri = quiz_uri(quiz.id)
    widget = quizzes.render_widget(quiz, preview=ctx.preview)
    if source is not None:
        intro = (f"Kunskapstestet hör till [{source.title}]({link(uri, source.site_path)}). "
                 f"För godkänt behöver du {round(quiz.pass_mark * 100)} % rätt.")
    else:
        intro = (f"Frågorna kommer från de obligatoriska rutinerna i "
                 f"[läslistan för {reading_list.name}]"
                 f"({link(uri, reading_list_uri(reading_list.id))}). "
                 f"För godkänt behöver du {round(quiz.pass_mark * 100)} % rätt.")
    return _render("quiz_page.md.j2", front_matter=front_matter(quiz.title), title=quiz.title,
                   intro=Markup(intro), widget=widget)


def portal_page(title: str, offline: str, wide: bool = False) -> str:
    """A page whose content the portal server renders; static hosting shows `offline`."""
    hide = ["navigation", "toc"] if wide else ["toc"]
    return _render("portal_shell.md.j2",
                   front_matter=front_matter(title, search={"exclude": True}, hide=hide),
                   title=title, offline=offline)


def generate(ctx: SiteContext) -> dict[str, str]:
    """Every generated page of the site, by source URI."""
    pages: dict[str, str] = {}
    for pub in ctx.publications:
        pages[pub.site_path] = document_page(ctx, pub)
    pages[REGISTER] = register_page(ctx)
    pages[READING_LISTS] = reading_lists_index(ctx)
    for audience in ctx.catalogue.organisation.audiences.values():
        combined = reading_list_quiz(ctx, audience)
        pages[reading_list_uri(audience.id)] = reading_list_page(ctx, audience, combined)
        if combined is not None:
            pages[quiz_uri(combined.id)] = quiz_page(ctx, combined, None, audience)
    for quiz_id, pub in ctx.published_quizzes.items():
        pages[quiz_uri(quiz_id)] = quiz_page(ctx, ctx.catalogue.quizzes[quiz_id], pub)
    pages[NEWS] = news_page(ctx)
    pages[COURSES] = courses_index(ctx)
    for course in ctx.catalogue.courses:
        pages[f"utbildning/{course.id}/index.md"] = course_page(ctx, course)
    pages[LESSONS] = lessons_index(ctx)
    pages[MY_PAGE] = portal_page(
        "Min sida", "Min sida visar vad du har kvitterat och klarat och vad som återstår. "
        "Den visas när du är inloggad i Rutinportalen. Här svarar inte portalen, så inga "
        "uppgifter om dig kan visas. Läs rutinerna för din enhet i "
        f"[läslistorna]({link(MY_PAGE, READING_LISTS)}).")
    pages[FOLLOW_UP] = portal_page(
        "Uppföljning", "Uppföljningen visas av Rutinportalens server för chefer och ledning: "
        "hur många som har kvitterat de obligatoriska rutinerna, per rutin och enhet, hur "
        "långt cheferna har kommit i NIS2-utbildningen och vilka dokument som väntar på "
        "beslut. Här svarar inte portalen, så inga uppgifter kan visas. Registret över alla "
        f"rutiner finns i [rutinregistret]({link(FOLLOW_UP, REGISTER)}).", wide=True)
    return pages
