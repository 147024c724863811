"""The feedback page's items are loaded as plain rows (only the columns shown, addresses built
from the row's values), not as objects: each item must read exactly as the objects would make
it, a page after the last must still show the last page, and nobody else's words may appear."""

from __future__ import annotations

from datetime import timedelta

from forum.accounts.models import User
from forum.consultations.models import Consultation
from forum.discussions.models import POSTS_PER_PAGE, Post, PostStatus, Thread
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.feedback import queries as my_feedback
from forum.surveys.models import Answer, Question
from tests.factories import make_board, make_thread
from tests.outcomes.feedback.test_my_feedback_grouped import many_answers_one_theme
from tests.support import statements_for

URL = "/account/feedback"


def _posts(thread_id: int, area_id: int, authors_and_bodies, start: int) -> None:
    """Posts put in the thread directly, numbered from `start`, a minute apart."""
    now = utcnow()
    for n, (author_id, body, status) in enumerate(authors_and_bodies):
        db.session.add(
            Post(
                thread_id=thread_id,
                area_id=area_id,
                number=start + n,
                author_id=author_id,
                body=body,
                status=status,
                created_at=now - timedelta(minutes=len(authors_and_bodies) - n),
            )
        )
    db.session.commit()


def _busy_world(world) -> None:
    """Pat's answers of every sort (written, a choice with words beside it, the standard bank's
    left out), a post on the second page of a busy thread (the others' posts by Sam), a post
    held for an organiser, and a post on the area's own board."""
    many_answers_one_theme(world, answers=2, bank=True)
    pat, sam = world["pat"].id, world["sam"].id
    area_id = world["area"].id
    others = [(sam, f"Sam's words number {n}", PostStatus.VISIBLE) for n in range(POSTS_PER_PAGE)]
    _posts(world["thread"].id, area_id, others, start=2)
    _posts(
        world["thread"].id,
        area_id,
        [
            (
                pat,
                "**Pat** on the second page, see [the report](https://example.org)",
                PostStatus.VISIBLE,
            ),
            (pat, "Pat waiting to be checked", PostStatus.HELD),
            (sam, "Sam after Pat", PostStatus.VISIBLE),
        ],
        start=POSTS_PER_PAGE + 2,
    )
    own = make_board(world["area"], name="Chat", visibility="public")
    make_thread(own, world["pat"], title="Area chat", body="Pat on the area's own board")


def test_each_item_reads_as_its_objects_would_make_it(app, feedback_world):
    with app.app_context():
        _busy_world(feedback_world)
    with app.app_context(), app.test_request_context():
        found = my_feedback.feedback_page(db.session.get(User, feedback_world["pat"].id))
        items = [(group, item) for group in found.groups for item in group.items]
        kinds = sorted(item.kind for _, item in items)
        # two themed answers, the loose one, the "please specify" words, the world's written
        # answer; the world's post, the one on page two, the held one, the area board's
        assert kinds == ["answer"] * 5 + ["post"] * 4
        for group, item in items:
            if item.kind == "answer":
                answer = db.session.get(Answer, item.id)
                question = db.session.get(Question, answer.question_id)
                assert item.excerpt == my_feedback.answer_excerpt(answer, question)
                assert item.where == question.prompt
                assert item.url == db.session.get(Consultation, group.consultation.id).url
            else:
                post = db.session.get(Post, item.id)
                assert post.author_id == feedback_world["pat"].id
                assert item.excerpt == my_feedback.post_excerpt(post.body)
                assert item.where == db.session.get(Thread, post.thread_id).title
                assert item.url == post.url
                assert (item.note == my_feedback.HELD) == (post.status is PostStatus.HELD)
        by_excerpt = {item.excerpt: item for _, item in items}
        # a choice with words beside it reads as the choice's label and the words
        assert "Other: Our neighbour" in by_excerpt
        second = by_excerpt["Pat on the second page, see the report"]
        assert second.url.endswith(f"?page=2#post-{POSTS_PER_PAGE + 2}")
        assert by_excerpt["Pat on the area's own board"].where == "Area chat"


def test_nobody_elses_words_are_shown(app, client, auth, feedback_world):
    with app.app_context():
        _busy_world(feedback_world)
    auth.login("pat@example.org")
    html = client.get(URL).get_data(as_text=True)
    assert "Pat on the second page" in html and "Pat waiting to be checked" in html
    assert "Sam's" not in html and "Sam after Pat" not in html
    assert "Sam&#39;s" not in html


def test_a_page_after_the_last_shows_the_last(app, client, auth, feedback_world):
    with app.app_context():
        _busy_world(feedback_world)
    auth.login("pat@example.org")
    first = client.get(URL).get_data(as_text=True)
    assert "9 things you said" in first
    later = client.get(URL + "?page=7").get_data(as_text=True)
    assert "9 things you said" in later
    for words in ("Pat on the area", "Our neighbour", "Shorter waits for assessments"):
        assert words in later
    # two statements more: the count the empty page did not bring, and the last page
    assert len(statements_for(app, client, URL + "?page=7")) == (
        len(statements_for(app, client, URL)) + 2
    )


def test_each_person_sees_only_their_own_items(app, client, auth, feedback_world):
    with app.app_context():
        _busy_world(feedback_world)
    auth.login("sam@example.org")
    html = client.get(URL).get_data(as_text=True)
    # Sam's written answer and posts are his; none of Pat's items is
    assert "Sam&#39;s private words about school" in html and "Sam after Pat" in html
    assert f"{2 + POSTS_PER_PAGE} things you said" in html
    for pats in ("Shorter waits", "Pat on the second page", "Pat waiting", "Our neighbour"):
        assert pats not in html


def test_links_are_to_published_themes_only(app, feedback_world):
    from tests.factories import make_theme
    from tests.outcomes.worlds import link, published_theme

    with app.app_context():
        draft = make_theme(feedback_world["consultation"], title="Draft")
        shown = published_theme(feedback_world["consultation"], title="Shown")
        answer_id, post_id = feedback_world["pat_text"].id, feedback_world["post"].id
        for theme in (draft, shown):
            link(theme, "answer", answer_id=answer_id)
            link(theme, "post", post_id=post_id)
        found = my_feedback._published_theme_ids([answer_id], [post_id])
        assert found == {("answer", answer_id): [shown.id], ("post", post_id): [shown.id]}
