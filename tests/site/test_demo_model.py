"""`make run`'s demo starts with a moderation model: trained on the bundled corpus,
active in shadow mode, and a few comments in the queue with explained scores."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from comments.models import Comment, CommentStatus
from moderation.models import ActionCode, ModelMode, ModelSource, ModelVersion, ModerationAction

pytestmark = pytest.mark.django_db


def test_the_demo_starts_with_a_model_in_shadow_mode_and_explained_scores():
    call_command("load_demo", "--quiet-logins")
    version = ModelVersion.objects.get(is_active=True)
    assert (version.source, version.mode) == (ModelSource.CORPUS, ModelMode.SHADOW)
    assert version.metrics["f1"] > 0.7
    assert ModerationAction.objects.filter(action=ActionCode.MODEL_ACTIVATED).exists()
    scored = [
        (c, hit)
        for c in Comment.objects.order_by("id")
        for hit in c.hold_reasons
        if hit["code"] == "model.score"
    ]
    assert len(scored) >= 4
    assert all(c.status == CommentStatus.PENDING for c, _ in scored)
    explained = [hit for _, hit in scored if hit["score"] >= 0.5]
    assert explained and all(hit["spans"] for hit in explained)
