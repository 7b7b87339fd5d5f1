"""Pages that list documents for a reader: reading lists and training courses."""

from __future__ import annotations

from ..content.documents import Kind
from ..content.organisation import EVERYBODY, Audience, Course
from ..content.quizzes import Quiz
from .context import SiteContext, sorted_for_list
from .rendering import front_matter, render
from .urls import COURSES, READING_LISTS, course_uri, link, quiz_uri, reading_list_uri


def _render(template: str, title: str, **context) -> str:
    return render(template, front_matter=front_matter(title), **context)


def reading_list_page(ctx: SiteContext, audience: Audience, quiz: Quiz | None) -> str:
    uri = reading_list_uri(audience.id)
    mine = [p for p in ctx.publications if ctx.in_reading_list(p, audience)]
    routines = []
    for pub in sorted_for_list([p for p in mine if p.kind is Kind.ROUTINE]):
        own_quiz = ctx.quiz_of(pub)
        routines.append({
            "id": pub.id, "title": pub.title, "link": link(uri, pub.site_path),
            "version": pub.version, "mandatory": pub.content.mandatory,
            "acknowledge_from": pub.acknowledge_from,
            "quiz_link": link(uri, quiz_uri(own_quiz.id)) if own_quiz else None,
        })
    course_titles = {c.id: c.title for c in ctx.catalogue.courses}
    trainings = [{"title": p.title, "link": link(uri, p.site_path),
                  "course": course_titles.get(ctx.course_of(p), ""),
                  "mandatory": p.content.mandatory, "minutes": p.content.minutes}
                 for p in sorted((p for p in mine if p.kind is Kind.TRAINING),
                                 key=lambda p: (ctx.course_of(p), p.content.order or 0))]
    lessons = [{"title": p.title, "link": link(uri, p.site_path)}
               for p in mine if p.kind is Kind.LESSON]
    return _render(
        "reading_list.md.j2", title=f"Läslista: {audience.name}",
        audience=audience, everybody=audience.id == EVERYBODY, routines=routines, trainings=trainings, lessons=lessons,
        quiz_link=link(uri, quiz_uri(quiz.id)) if quiz else None,
        quiz_title=quiz.title if quiz else "",
    )


def reading_lists_index(ctx: SiteContext) -> str:
    org = ctx.catalogue.organisation

    def rows(audiences: list[Audience]) -> list[dict]:
        return [{"name": a.name, "link": link(READING_LISTS, reading_list_uri(a.id)),
                 "count": sum(1 for p in ctx.publications if ctx.in_reading_list(p, a))}
                for a in audiences]

    return _render("reading_lists_index.md.j2", title="Läslistor", units=rows(org.units),
                   roles=rows(org.roles))


def course_page(ctx: SiteContext, course: Course) -> str:
    uri = course_uri(course.id)
    modules = []
    for pub in ctx.course_modules(course.id):
        quiz = ctx.quiz_of(pub)
        modules.append({
            "id": pub.id, "title": pub.title, "link": link(uri, pub.site_path),
            "minutes": pub.content.minutes, "mandatory": pub.content.mandatory,
            "quiz": quiz.id if quiz else None,
            "quiz_link": link(uri, quiz_uri(quiz.id)) if quiz else None,
        })
    return _render("course.md.j2", title=course.title, course=course, modules=modules,
                   total_minutes=sum(m["minutes"] or 0 for m in modules))


def courses_index(ctx: SiteContext) -> str:
    rows = []
    for course in ctx.catalogue.courses:
        modules = ctx.course_modules(course.id)
        mandatory = sorted({a for m in modules if m.content.mandatory
                            for a in m.content.audience})
        rows.append({"title": course.title, "description": course.description,
                     "link": link(COURSES, course_uri(course.id)),
                     "count": len(modules),
                     "minutes": sum(m.content.minutes or 0 for m in modules),
                     "mandatory_for": ctx.audience_names(mandatory).lower()})
    return _render("courses_index.md.j2", title="Utbildning", courses=rows)
