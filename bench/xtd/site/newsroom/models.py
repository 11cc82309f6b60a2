from django.db import models
from django.urls import reverse


class Article(models.Model):
    """A news story; its comments are xtd comments attached by content type."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    body = models.TextField(blank=True)
    published_at = models.DateTimeField()
    allow_comments = models.BooleanField(default=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article-detail", kwargs={"slug": self.slug})
