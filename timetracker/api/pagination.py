"""Page-number pagination: ?page=N&page_size=M (M up to 500), answering {count, next, previous, results}."""

from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 500


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
