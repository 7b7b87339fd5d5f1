"""Generate the site's virtual pages from the validated content.

Every function returns Markdown (with front-matter) for one page; `generate` returns them all
as `{src_uri: markdown}`. Nothing here knows the site engine: the adapter (`engine`) turns the
result into files. Links are relative links between source paths (`urls.link`), so the engine
resolves and checks them.
"""

from __future__ import annotations

from markupsafe import Markup

from ..content.documents import Kind
from ..content.links import without_links_to
from ..content.organisation import Audience
from ..content.publications import Publication
from ..content.quizzes import Quiz
from . import lists
from .context import SiteContext
from .rendering import front_matter, render
from .urls import (COURSES, FOLLOW_UP, LESSONS, MY_PAGE, NEWS, READING_LISTS, REGISTER,
                   course_uri, link, quiz_uri, reading_list_uri)
from .widget import render_widget


MANDATORY_TEXT = {Kind.ROUTINE: "Ja – ska kvitteras av alla i målgruppen",
                  Kind.TRAINING: "Ja – ska genomföras av alla i målgruppen"}


def document_page(ctx: SiteContext, pub: Publication) -> str:
    uri = pub.site_path
    quiz = ctx.quiz_of(pub)
    related = [{"id": other.id, "title": other.title, "link": link(uri, other.site_path)}
               for other in (ctx.by_id.get(i) for i in pub.content.related) if other]
    next_module = None
    if pub.kind is Kind.TRAINING:
        later = [p for p in ctx.course_modules(ctx.course_of(pub))
                 if (p.content.order or 0) > (pub.content.order or 0)]
        if later:
            next_module = {"title": later[0].title, "link": link(uri, later[0].site_path)}
    return render(
        "document_page.md.j2",
        front_matter=front_matter(pub.title, tags=list(pub.content.tags) or None),
        pub=pub, content=pub.content, approval=pub.approval, is_routine=pub.kind is Kind.ROUTINE,
        is_training=pub.kind is Kind.TRAINING,
        status_name=pub.status.label.lower() if pub.status else "",
        audience_names=ctx.audience_names(pub.content.audience),
        mandatory_text=MANDATORY_TEXT.get(pub.kind, "Ja"),
        body=Markup(without_links_to(uri, pub.body, ctx.unpublished,
                                     link(uri, REGISTER)).rstrip() + "\n"),
        quiz_link=link(uri, quiz_uri(quiz.id)) if quiz else None,
        quiz_title=quiz.title if quiz else "",
        related=related,
        next_module=next_module,
        history=list(reversed(pub.history)),
    )


def register_page(ctx: SiteContext) -> str:
    rows = []
    for pub in ctx.of_kind(Kind.ROUTINE):
        review = pub.next_review
        rows.append({
            "id": pub.id, "title": pub.title, "link": link(REGISTER, pub.site_path),
            "mandatory": pub.content.mandatory, "owner": pub.content.owner,
            "version": pub.version, "approved_on": pub.approved_on or "utkast",
            "next_review": review or "–", "overdue": bool(review and review < ctx.today),
            "audience": ctx.audience_names(pub.content.audience),
        })
    return render("register.md.j2",
                  front_matter=front_matter("Rutinregister", hide=["navigation", "toc"]),
                  rows=rows, reading_lists_link=link(REGISTER, READING_LISTS))


def news_page(ctx: SiteContext) -> str:
    events = []
    for pub in ctx.publications:
        for snapshot in pub.history:
            if snapshot.version > pub.version:
                continue
            first = snapshot is pub.history[0]
            events.append({
                "approved_on": snapshot.approval.approved_on, "title": pub.title,
                "link": link(NEWS, pub.site_path), "version": snapshot.version,
                "kind": pub.kind.label, "decision": snapshot.approval.decision or "",
                "change": "Ny" if first else "Ändrad",
                "reacknowledge": not first and pub.kind is Kind.ROUTINE
                and snapshot.content.material_change,
            })
    events.sort(key=lambda e: (e["approved_on"], e["title"]), reverse=True)
    return render("news.md.j2", front_matter=front_matter("Nytt och ändrat"), rows=events)


def lessons_index(ctx: SiteContext) -> str:
    rows = [{"title": p.title, "link": link(LESSONS, p.site_path),
             "approved_on": p.approved_on or "utkast"}
            for p in sorted(ctx.of_kind(Kind.LESSON),
                            key=lambda p: str(p.approved_on or ""), reverse=True)]
    return render("lessons_index.md.j2", front_matter=front_matter("Lärdomar"), rows=rows)


def quiz_page(ctx: SiteContext, quiz: Quiz, source: Publication | None,
              reading_list: Audience | None = None) -> str:
    uri = quiz_uri(quiz.id)
    if source is not None:
        intro = (f"Kunskapstestet hör till [{source.title}]({link(uri, source.site_path)}). "
                 f"För godkänt behöver du {round(quiz.pass_mark * 100)} % rätt.")
    else:
        intro = (f"Frågorna kommer från de obligatoriska rutinerna i "
                 f"[läslistan för {reading_list.name}]"
                 f"({link(uri, reading_list_uri(reading_list.id))}). "
                 f"För godkänt behöver du {round(quiz.pass_mark * 100)} % rätt.")
    return render("quiz_page.md.j2", front_matter=front_matter(quiz.title), title=quiz.title,
                  intro=Markup(intro), widget=render_widget(quiz, preview=ctx.preview))


def portal_page(title: str, offline: str, wide: bool = False) -> str:
    """A page whose content the portal server renders; static hosting shows `offline`."""
    hide = ["navigation", "toc"] if wide else ["toc"]
    return render("portal_shell.md.j2",
                  front_matter=front_matter(title, search={"exclude": True}, hide=hide),
                  title=title, offline=offline)


def generate(ctx: SiteContext) -> dict[str, str]:
    """Every generated page of the site, by source URI."""
    pages: dict[str, str] = {}
    for pub in ctx.publications:
        pages[pub.site_path] = document_page(ctx, pub)
    pages[REGISTER] = register_page(ctx)
    pages[READING_LISTS] = lists.reading_lists_index(ctx)
    for audience in ctx.catalogue.organisation.audiences.values():
        combined = ctx.reading_list_quizzes.get(audience.id)
        pages[reading_list_uri(audience.id)] = lists.reading_list_page(ctx, audience, combined)
        if combined is not None:
            pages[quiz_uri(combined.id)] = quiz_page(ctx, combined, None, audience)
    for quiz_id, pub in ctx.published_quizzes.items():
        pages[quiz_uri(quiz_id)] = quiz_page(ctx, pub.quiz, pub)
    pages[NEWS] = news_page(ctx)
    pages[COURSES] = lists.courses_index(ctx)
    for course in ctx.catalogue.courses:
        pages[course_uri(course.id)] = lists.course_page(ctx, course)
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
