"""What moderators do, one module per topic: decisions on comments
(decisions.py), sanctions and notes on accounts (accounts.py), the word lists
(wordlists.py), the moderation model's versions (models.py). Each service checks
that its actor may moderate (comments.access.can_moderate), and writes its audit
entry in the same transaction. Status changes themselves happen in
moderation.lifecycle.
"""

from __future__ import annotations

from moderation.lifecycle import DecisionConflict, ModerationError
from moderation.services.accounts import sanction_apply, sanction_lift, user_note_add
from moderation.services.decisions import (
    DECISIONS,
    batch_undo,
    comment_approve,
    comment_reject,
    comment_remove,
    comment_restore,
    decision_undo,
    reports_dismiss,
)
from moderation.services.models import (
    model_activate,
    model_configure,
    model_retrain_when_due,
    model_rollback,
    model_train,
)
from moderation.services.wordlists import wordlist_add, wordlist_remove

__all__ = [
    "DECISIONS",
    "DecisionConflict",
    "ModerationError",
    "batch_undo",
    "comment_approve",
    "comment_reject",
    "comment_remove",
    "comment_restore",
    "decision_undo",
    "model_activate",
    "model_configure",
    "model_retrain_when_due",
    "model_rollback",
    "model_train",
    "reports_dismiss",
    "sanction_apply",
    "sanction_lift",
    "user_note_add",
    "wordlist_add",
    "wordlist_remove",
]
