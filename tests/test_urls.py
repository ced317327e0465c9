from aggregator.urls import normalize_url, same_site


def test_variants_of_one_page_normalise_alike():
    base = normalize_url("https://ulgov.ru/news/1?id=5&lang=ru")
    assert normalize_url("HTTPS://ULGOV.RU:443/news/1?lang=ru&id=5#top") == base
    assert normalize_url("https://ulgov.ru/news/1?utm_source=tg&lang=ru&id=5&fbclid=x") == base
    assert normalize_url("https://ulgov.ru/news/1?lang=ru&yclid=1&id=5&utm_medium=mail") == base


def test_meaningful_parameters_are_kept():
    assert normalize_url("https://x.org/view.php?id=3") != normalize_url("https://x.org/view.php?id=4")


def test_same_site_ignores_www_but_not_ports():
    assert same_site("https://www.city.kharkov.ua/uk/news/", "https://city.kharkov.ua/")
    assert same_site("https://news.ulgov.ru/x", "https://ulgov.ru/")
    assert not same_site("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/")
    assert not same_site("https://evil-ulgov.ru/", "https://ulgov.ru/")
