"""Pages that list documents for a reader: reading lists, registers and training courses."""

from __future__ import annotations

from ..content.documents import Kind
from ..content.organisation import EVERYBODY, Audience, Course
from ..content.quizzes import Quiz
from .context import SiteContext, sorted_for_list
from .page import GeneratedPage, Heading
from .rendering import html
from .urls import (COURSES, MY_READING_LIST, READING_LISTS, course_uri, href, quiz_uri,
                   reading_list_uri)


def listing(title: str, intro: str, template: str, *, hide: tuple[str, ...] = (),
            headings: tuple[Heading, ...] = (), **context) -> GeneratedPage:
    """A list page: heading, an introduction (its text for search) and the list itself."""
    return GeneratedPage(title, top=html("heading.html.j2", title=title),
                         body=str(html("intro.html.j2", text=intro)),
                         bottom=html(template, **context), hide=hide, headings_after=headings)


def reading_list_page(ctx: SiteContext, audience: Audience, quiz: Quiz | None
                      ) -> GeneratedPage:
    uri = reading_list_uri(audience.id)
    mine = ctx.reading_lists[audience.id]
    routines = []
    for pub in sorted_for_list([p for p in mine if p.kind is Kind.ROUTINE]):
        own_quiz = ctx.quiz_of(pub)
        routines.append({
            "id": pub.id, "title": pub.title, "link": href(uri, pub.site_path),
            "version": pub.version, "mandatory": pub.content.mandatory,
            "acknowledge_from": pub.acknowledge_from,
            "quiz_link": href(uri, quiz_uri(own_quiz.id)) if own_quiz else None,
        })
    course_titles = {c.id: c.title for c in ctx.catalogue.courses}
    trainings = [{"title": p.title, "link": href(uri, p.site_path),
                  "course": course_titles.get(ctx.course_of(p), ""),
                  "mandatory": p.content.mandatory, "minutes": p.content.minutes}
                 for p in sorted((p for p in mine if p.kind is Kind.TRAINING),
                                 key=lambda p: (ctx.course_of(p), p.content.order or 0))]
    lessons = [{"title": p.title, "link": href(uri, p.site_path)}
               for p in mine if p.kind is Kind.LESSON]
    if audience.id == EVERYBODY:
        intro = "Det här ska alla medarbetare i sektor Välfärd känna till."
    else:
        name = audience.name.lower() if audience.kind == "unit" else audience.name
        intro = (f"Det här gäller dig som arbetar inom {name}, tillsammans med det som gäller "
                 "alla medarbetare. Obligatoriska rutiner står först.")
    headings = ((Heading("rp-rutiner", "Rutiner"),) if routines else ()) \
        + ((Heading("rp-utbildning", "Utbildning"),) if trainings else ()) \
        + ((Heading("rp-lardomar", "Lärdomar från incidenter"),) if lessons else ())
    return listing(
        f"Läslista: {audience.name}", intro, "reading_list.html.j2", headings=headings,
        audience=audience, routines=routines, trainings=trainings, lessons=lessons,
        quiz_link=href(uri, quiz_uri(quiz.id)) if quiz else None,
        quiz_title=quiz.title if quiz else "",
    )


def reading_lists_index(ctx: SiteContext) -> GeneratedPage:
    org = ctx.catalogue.organisation

    def rows(audiences: list[Audience]) -> list[dict]:
        return [{"name": a.name, "link": href(READING_LISTS, reading_list_uri(a.id)),
                 "count": len(ctx.reading_lists[a.id])}
                for a in audiences]

    return listing("Läslistor", "Välj din enhet eller roll. Läslistan visar de rutiner, "
                   "utbildningar och lärdomar som gäller dig, med de obligatoriska först.",
                   "reading_lists_index.html.j2",
                   headings=(Heading("rp-enheter", "Enheter"), Heading("rp-roller", "Roller")),
                   units=rows(org.units), roles=rows(org.roles),
                   my_list_link=href(READING_LISTS, MY_READING_LIST))


def course_page(ctx: SiteContext, course: Course) -> GeneratedPage:
    uri = course_uri(course.id)
    modules = []
    for pub in ctx.course_modules(course.id):
        quiz = ctx.quiz_of(pub)
        modules.append({
            "id": pub.id, "title": pub.title, "link": href(uri, pub.site_path),
            "minutes": pub.content.minutes, "mandatory": pub.content.mandatory,
            "quiz": quiz.id if quiz else None,
            "quiz_link": href(uri, quiz_uri(quiz.id)) if quiz else None,
        })
    return listing(course.title, course.description or course.title, "course.html.j2",
                   course=course, modules=modules,
                   total_minutes=sum(m["minutes"] or 0 for m in modules))


def courses_index(ctx: SiteContext) -> GeneratedPage:
    rows = []
    for course in ctx.catalogue.courses:
        modules = ctx.course_modules(course.id)
        mandatory = sorted({a for m in modules if m.content.mandatory
                            for a in m.content.audience})
        rows.append({"title": course.title, "description": course.description,
                     "link": href(COURSES, course_uri(course.id)),
                     "anchor": f"rp-kurs-{course.id}", "count": len(modules),
                     "minutes": sum(m.content.minutes or 0 for m in modules),
                     "mandatory_for": ctx.audience_names(mandatory).lower()})
    return listing("Utbildning", "Cybersäkerhetslagen (SFS 2025:1506) kräver att ledningen och "
                   "cheferna genomgår utbildning i cybersäkerhet och att all personal erbjuds "
                   "utbildning.", "courses_index.html.j2",
                   headings=tuple(Heading(r["anchor"], r["title"]) for r in rows), courses=rows)
