"""Generate the site's virtual pages from the validated content.

Every function returns one `GeneratedPage`; `generate` returns them all by source URI. Nothing
here knows the site engine: the adapter (`engine`) turns them into files. Our own HTML links
between pages with relative URLs (`urls.href`); the Markdown of an approved text keeps its own
links, which the engine resolves and checks.
"""

from __future__ import annotations

from ..content.documents import Kind
from ..content.links import without_links_to
from ..content.organisation import Audience
from ..content.publications import Publication
from ..content.quizzes import Quiz
from ..errors import BuildError
from . import lists, versions
from .context import SiteContext
from .lists import listing
from .page import GeneratedPage, Heading
from .rendering import html
from .urls import (COURSES, FOLLOW_UP, LESSONS, MY_PAGE, MY_READING_LIST, NEWS, READING_LISTS,
                   REGISTER, changes_uri, course_uri, href, markdown_link, quiz_uri,
                   reading_list_uri)
from .widget import render_widget

MANDATORY_TEXT = {Kind.ROUTINE: "Ja – ska kvitteras av alla i målgruppen",
                  Kind.TRAINING: "Ja – ska genomföras av alla i målgruppen"}
ACK = Heading("rp-ack-heading", "Kvittera")
QUIZ = Heading("rp-kunskapstest", "Kunskapstest")
RELATED = Heading("rp-relaterat", "Relaterat")
HISTORY = Heading("rp-versionshistorik", "Versionshistorik")


def document_page(ctx: SiteContext, pub: Publication) -> GeneratedPage:
    uri = pub.site_path
    quiz = ctx.quiz_of(pub)
    related = [{"id": other.id, "title": other.title, "link": href(uri, other.site_path)}
               for other in (ctx.by_id.get(i) for i in pub.content.related) if other]
    next_module = None
    if pub.kind is Kind.TRAINING:
        later = [p for p in ctx.course_modules(ctx.course_of(pub))
                 if (p.content.order or 0) > (pub.content.order or 0)]
        if later:
            next_module = {"title": later[0].title, "link": href(uri, later[0].site_path)}
    is_routine = pub.kind is Kind.ROUTINE
    reacknowledge = (is_routine and not pub.draft and pub.content.material_change
                     and len(pub.history) > 1 and pub.history[-1].version == pub.version)
    top = html("document_top.html.j2", pub=pub, content=pub.content, approval=pub.approval,
               is_routine=is_routine,
               status_name=pub.status.label.lower() if pub.status else "",
               audience_names=ctx.audience_names(pub.content.audience),
               mandatory_text=MANDATORY_TEXT.get(pub.kind, "Ja"))
    bottom = html("document_bottom.html.j2", pub=pub, is_routine=is_routine,
                  is_training=pub.kind is Kind.TRAINING,
                  reacknowledge_changes=href(uri, changes_uri(uri, pub.version))
                  if reacknowledge else None,
                  quiz={"title": quiz.title, "link": href(uri, quiz_uri(quiz.id))}
                  if quiz else None,
                  related=related, next_module=next_module,
                  history=versions.history_rows(pub, uri))
    headings = [ACK] if is_routine else []
    headings += [QUIZ] if quiz else []
    headings += [RELATED] if related else []
    body = without_links_to(uri, pub.body, ctx.unpublished, markdown_link(uri, REGISTER))
    return GeneratedPage(pub.title, top=top, body=body, bottom=bottom,
                         tags=pub.content.tags,
                         headings_after=(*headings, HISTORY))


def register_page(ctx: SiteContext) -> GeneratedPage:
    rows = []
    for pub in ctx.of_kind(Kind.ROUTINE):
        review = pub.next_review
        rows.append({
            "id": pub.id, "title": pub.title, "link": href(REGISTER, pub.site_path),
            "mandatory": pub.content.mandatory, "owner": pub.content.owner,
            "version": pub.version, "approved_on": pub.approved_on or "utkast",
            "next_review": review or "–", "overdue": bool(review and review < ctx.today),
            "audience": ctx.audience_names(pub.content.audience),
        })
    return listing("Rutinregister", "Alla publicerade rutiner i sektor Välfärd, i den version "
                   "som ledningen har godkänt, med informationsägare, version och nästa "
                   "översyn.", "register.html.j2", hide=("navigation", "toc"), rows=rows,
                   reading_lists_link=href(REGISTER, READING_LISTS))


def news_page(ctx: SiteContext) -> GeneratedPage:
    events = []
    for pub in ctx.publications:
        for index, snapshot in enumerate(pub.history):
            if snapshot.version > pub.version:
                continue
            events.append({
                "approved_on": snapshot.approval.approved_on, "title": pub.title,
                "link": href(NEWS, pub.site_path), "version": snapshot.version,
                "kind": pub.kind.label, "decision": snapshot.approval.decision or "",
                "change": "Ändrad" if index else "Ny",
                "reacknowledge": bool(index) and pub.kind is Kind.ROUTINE
                and snapshot.content.material_change,
                "changes_link": href(NEWS, changes_uri(pub.site_path, snapshot.version))
                if index else None,
            })
    events.sort(key=lambda e: (e["approved_on"], e["title"]), reverse=True)
    return listing("Nytt och ändrat", "Nya och ändrade rutiner, utbildningar och lärdomar, "
                   "det senaste först.", "news.html.j2", rows=events)


def lessons_index(ctx: SiteContext) -> GeneratedPage:
    rows = [{"title": p.title, "link": href(LESSONS, p.site_path),
             "approved_on": p.approved_on or "utkast"}
            for p in sorted(ctx.of_kind(Kind.LESSON),
                            key=lambda p: str(p.approved_on or ""), reverse=True)]
    return listing("Lärdomar från incidenter", "Vad hände, varför spelar det roll och vad har "
                   "vi ändrat? Här samlar vi lärdomarna från informationssäkerhetsincidenter "
                   "i sektorn, avidentifierade.", "lessons_index.html.j2", rows=rows)


def quiz_page(ctx: SiteContext, quiz: Quiz, source: Publication | None,
              reading_list: Audience | None = None) -> GeneratedPage:
    uri = quiz_uri(quiz.id)
    intro = html(
        "quiz_intro.html.j2", percent=round(quiz.pass_mark * 100),
        source={"title": source.title, "link": href(uri, source.site_path)} if source else None,
        reading_list={"name": reading_list.name,
                      "link": href(uri, reading_list_uri(reading_list.id))}
        if reading_list else None)
    return GeneratedPage(quiz.title, top=html("heading.html.j2", title=quiz.title),
                         body=str(intro), bottom=render_widget(quiz, preview=ctx.preview))


def portal_page(uri: str, title: str, offline: str, link_intro: str, link_text: str,
                link_to: str, wide: bool = False) -> GeneratedPage:
    """A page whose content the portal server renders; static hosting shows `offline` and a
    link to what the static site has instead."""
    top = html("portal_shell.html.j2", title=title, offline=offline, link_intro=link_intro,
               link_text=link_text, link=href(uri, link_to))
    return GeneratedPage(title, top=top, searchable=False,
                         hide=("navigation", "toc") if wide else ("toc",))


NO_PORTAL = "Här svarar inte portalen, så inga uppgifter om dig kan visas."


def portal_pages() -> dict[str, GeneratedPage]:
    return {
        MY_PAGE: portal_page(
            MY_PAGE, "Min sida", "Min sida visar vad du har kvitterat och klarat och vad som "
            "återstår. Den visas när du är inloggad i Rutinportalen. " + NO_PORTAL,
            "Läs rutinerna för din enhet i", "läslistorna", READING_LISTS),
        MY_READING_LIST: portal_page(
            MY_READING_LIST, "Min läslista", "Din läslista visar det som gäller just dig, "
            "för dina enheter och roller, och vad du har kvar att kvittera. Den visas när du "
            "är inloggad i Rutinportalen. " + NO_PORTAL, "Välj din enhet eller roll i",
            "läslistorna", READING_LISTS),
        FOLLOW_UP: portal_page(
            FOLLOW_UP, "Uppföljning", "Uppföljningen visas av Rutinportalens server för "
            "chefer och ledning: hur många som har kvitterat de obligatoriska rutinerna, per "
            "rutin och enhet, hur långt cheferna har kommit i NIS2-utbildningen och vilka "
            "dokument som väntar på beslut. Här svarar inte portalen, så inga uppgifter kan "
            "visas.", "Registret över alla rutiner finns i", "rutinregistret", REGISTER,
            wide=True),
    }


def generate(ctx: SiteContext) -> dict[str, GeneratedPage]:
    """Every generated page of the site, by source URI."""
    pages: dict[str, GeneratedPage] = {}
    for pub in ctx.publications:
        for uri, page in {pub.site_path: document_page(ctx, pub),
                          **versions.version_pages(pub, ctx.unpublished)}.items():
            if uri in pages:
                raise BuildError(f"{pub.source}: sidan {uri} finns redan (från ett annat "
                                 "dokument); byt namn på filen")
            pages[uri] = page
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
    pages.update(portal_pages())
    return pages
