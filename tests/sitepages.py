"""Helpers shared by the site tests (not a test file)."""

from urllib.parse import urlsplit


def site_pages(built_site):
    return sorted(str(p.parent.relative_to(built_site)).replace(".", "") + "/"
                  for p in built_site.rglob("index.html") if p.parent.name != "404")


def cut_the_network(context, site_url):
    """Abort every request that is not to the site itself: the site must work offline."""
    own = urlsplit(site_url).netloc
    context.route(lambda url: urlsplit(url).netloc not in (own, ""), lambda route: route.abort())
