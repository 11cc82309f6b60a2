from django.views.generic import DetailView

from .models import Article


class ArticleDetailView(DetailView):
    model = Article
    template_name = "newsroom/article_detail.html"
    context_object_name = "article"
