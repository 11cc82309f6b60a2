from tests.comments.test_article_page import *  # noqa
def test_dbg(client, article, many_threads):
    from comments.models import Comment
    print([ (c.status, c.body) for c in Comment.objects.all()])
    html = client.get(article.get_absolute_url()).content.decode()
    i = html.find('<ol class="thread"')
    print(html[i:i+1500])
    assert 0
